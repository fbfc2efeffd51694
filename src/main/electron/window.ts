import type { BrowserWindowConstructorOptions } from "electron";
import { APP_URL, isAppUrl, type ElectronApi } from "./electron-api.ts";
import { openExternalSafe } from "./open-external.ts";

export interface MainWindowOptions {
  preloadPath: string;
  url?: string;
}

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: "Lifeboat",
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** The one window: the app's own page only; every navigation elsewhere and every new window is refused. */
export function createMainWindow(
  electron: Pick<ElectronApi, "BrowserWindow" | "shell">,
  opts: MainWindowOptions,
): Electron.BrowserWindow {
  const win = new electron.BrowserWindow(mainWindowOptions(opts.preloadPath));
  const contents = win.webContents;
  const stayHome = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on("will-navigate", stayHome);
  contents.on("will-redirect", stayHome);
  contents.on("will-attach-webview", (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A link meant for the outside world (documentation, Neon's console) goes to the browser, if it is https.
    openExternalSafe(electron.shell, url);
    return { action: "deny" };
  });
  win.once("ready-to-show", () => win.show());
  void win.loadURL(opts.url ?? APP_URL);
  return win;
}
