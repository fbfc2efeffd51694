// The slice of Electron the shell uses, passed in as a value: the shell's modules never import electron themselves, so
// unit tests hand them a fake, and only main.ts (the packaged entry) loads the real module.
import type * as Electron from "electron";

export type ElectronApi = Pick<
  typeof Electron,
  "app" | "BrowserWindow" | "ipcMain" | "session" | "shell" | "protocol" | "Notification"
>;

/** The app's own origin: the renderer is served from this custom scheme, never from file:// or http. */
export const APP_SCHEME = "app";
export const APP_HOST = "lifeboat";
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
