// The desktop shell, given the Electron API: serve the renderer on app://, harden the session, wire IPC to the router,
// open the one window, notify new alerts. Everything that does work is the engine's.
import { join } from "node:path";
import { createApiRouter } from "../api/router.ts";
import { resolveConfigPath } from "../config/config-path.ts";
import { openJournal } from "../journal/journal.ts";
import { rendererDirOf, serveAppProtocol } from "./app-protocol.ts";
import { startAlertNotifications } from "./desktop-notifications.ts";
import type { ElectronApi } from "./electron-api.ts";
import { hardenSession } from "./harden-session.ts";
import { registerIpc } from "./ipc.ts";
import { createMainWindow } from "./window.ts";

export interface DesktopOptions {
  /** The folder holding main.js and preload.cjs. */
  bundleDir: string;
}

export async function startDesktop(electron: ElectronApi, opts: DesktopOptions): Promise<void> {
  const { app } = electron;
  // A second copy would fight over the journal lock; focus the first instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const journal = await openJournal();
  const router = createApiRouter({ configPath: resolveConfigPath({ env: process.env }), journal, env: process.env, shell: "electron" });
  serveAppProtocol(electron.protocol, rendererDirOf(app.getAppPath()));
  hardenSession(electron.session.defaultSession);
  app.on("web-contents-created", (_e, contents) => {
    contents.on("will-attach-webview", (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: "deny" }));
  });
  const win = createMainWindow(electron, { preloadPath: join(opts.bundleDir, "preload.cjs") });
  registerIpc(electron.ipcMain, router, (contents) => contents === win.webContents);
  app.on("second-instance", () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  const stopNotifications = startAlertNotifications(electron.Notification, router);
  app.on("window-all-closed", () => app.quit());
  app.on("will-quit", () => {
    stopNotifications();
    void journal.close();
  });
}
