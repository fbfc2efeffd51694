// One ipcMain.handle per API channel, all through the router (zod validation, redaction, ErrorInfo). A message is
// answered only when it comes from the app's own window, from its main frame, showing the app's own page.
import type { IpcMainInvokeEvent } from "electron";
import type { ApiResult } from "../../shared/api/api-result.ts";
import { IPC_PREFIX, IPC_PROGRESS } from "../../shared/api/bridge.ts";
import { CHANNEL_NAMES } from "../../shared/api/channels.ts";
import type { ApiRouter } from "../api/router.ts";
import { isAppUrl, type ElectronApi } from "./electron-api.ts";

type SenderEvent = Pick<IpcMainInvokeEvent, "sender" | "senderFrame">;

export function isTrustedSender(event: SenderEvent, isOurWindow: (contents: Electron.WebContents) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  // Only the top frame: an iframe (even one the page was tricked into embedding) never speaks for the app.
  if (frame !== event.sender.mainFrame || frame.parent) return false;
  return isAppUrl(frame.url) && isOurWindow(event.sender);
}

const REFUSED: ApiResult<never> = {
  ok: false,
  error: { code: "USAGE", message: "Refused: the request did not come from the Lifeboat window." },
};

export function registerIpc(
  ipcMain: Pick<ElectronApi["ipcMain"], "handle">,
  router: ApiRouter,
  isOurWindow: (contents: Electron.WebContents) => boolean,
): string[] {
  const channels = CHANNEL_NAMES.map((c) => `${IPC_PREFIX}${c}`);
  for (const name of CHANNEL_NAMES) {
    ipcMain.handle(`${IPC_PREFIX}${name}`, async (event, payload: unknown) => {
      if (!isTrustedSender(event, isOurWindow)) return REFUSED;
      const sender = event.sender;
      return router.invoke(name, payload, {
        onProgress: (e) => {
          if (!sender.isDestroyed()) sender.send(IPC_PROGRESS, e);
        },
      });
    });
  }
  return channels;
}
