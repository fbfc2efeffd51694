import { CONTENT_SECURITY_POLICY } from "../console-assets/content-security-policy.ts";
import type { ElectronApi } from "./electron-api.ts";

type Session = Pick<Electron.Session, "setPermissionRequestHandler" | "setPermissionCheckHandler" | "webRequest">;

/** The console needs no camera, microphone, location, notifications-from-the-page or any other browser permission. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // The app's own responses carry the policy already; this covers anything else the session might load.
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        "Content-Security-Policy": [CONTENT_SECURITY_POLICY],
        "X-Content-Type-Options": ["nosniff"],
      },
    });
  });
}

export type { ElectronApi };
