// The desktop shell, given the Electron API: serve the renderer on app://, harden the session, wire IPC to the router,
// open the one window, notify new alerts. Everything that does work is the engine's.
import { join } from "node:path";
import { createApiRouter } from "../api/router.ts";
import { firstPracticeBackup, startSandboxConsole, type SandboxConsole } from "../browser-host/sandbox-console.ts";
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
  const practice: SandboxConsole | undefined = opts.sandbox
    ? await startSandboxConsole({ say: (l) => console.log(l) })
    : undefined;
  const journal = await openJournal(practice ? { dir: practice.journalDir } : {});
  const router = createApiRouter(
    practice
      ? {
          configPath: practice.configPath,
          journal,
          env: practice.env,
          shell: "electron",
          sandbox: true,
          exportsDir: practice.exportsDir,
        }
      : { configPath: resolveConfigPath({ env: process.env }), journal, env: process.env, shell: "electron" },
  );
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
  if (practice) void firstPracticeBackup(router, (l) => console.log(l));
  const stopNotifications = startAlertNotifications(electron.Notification, router);
  app.on("window-all-closed", () => {
    stopNotifications();
    // The sandbox's computes archive their WAL on the way down; quit only once they are stopped.
    void Promise.allSettled([journal.close(), practice?.stop()]).then(() => app.quit());
  });
}
