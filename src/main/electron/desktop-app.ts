// The desktop shell, given the Electron API: serve the renderer on app://, harden the session, wire IPC to the router,
// open the one window, notify new alerts. Everything that does work is the engine's.
import { join } from "node:path";
import { readyPracticeWorld } from "../practice/first-practice-backup.ts";
import { startPracticeWorld, type PracticeWorld } from "../practice/practice-world.ts";
import { openSession } from "../session/open-session.ts";
import { rendererDirOf, serveAppProtocol } from "./app-protocol.ts";
import { startAlertNotifications } from "./desktop-notifications.ts";
import type { ElectronApi } from "./electron-api.ts";
import { hardenSession } from "./harden-session.ts";
import { registerIpc } from "./ipc.ts";
import { createMainWindow } from "./window.ts";

export interface DesktopOptions {
  /** The folder holding main.js and preload.cjs. */
  bundleDir: string;
  /** Practise on the Neon sandbox (`lifeboat console --sandbox`) instead of the user's profiles. */
  sandbox?: boolean;
}

export async function startDesktop(electron: ElectronApi, opts: DesktopOptions): Promise<void> {
  const { app } = electron;
  // A second copy would fight over the journal lock; focus the first instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const practice: PracticeWorld | undefined = opts.sandbox
    ? await startPracticeWorld({ say: (l) => console.log(l) })
    : undefined;
  const session = await openSession(
    practice
      ? { face: "electron", sandbox: true, sandboxDir: practice.sandboxDir, env: practice.env }
      : { face: "electron", env: process.env },
  );
  const router = session.router;
  // Before any window: a staged region outage takes region A's store down first (region-b-world.ts).
  if (practice) await readyPracticeWorld(practice, router, (l) => console.log(l));
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
  app.on("window-all-closed", () => {
    stopNotifications();
    // The sandbox's computes archive their WAL on the way down; quit only once they are stopped.
    void Promise.allSettled([session.close(), practice?.stop()]).then(() => app.quit());
  });
}
