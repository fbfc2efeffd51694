// The Electron entry (bundled to dist/electron/main.js). Only here is the electron module loaded; every other shell
// module takes it as a parameter, so tests can pass a fake.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { registerAppScheme } from "./app-protocol.ts";
import { startDesktop } from "./desktop-app.ts";
import type { ElectronApi } from "./electron-api.ts";

export { createMainWindow, mainWindowOptions } from "./window.ts";
export { openExternalSafe } from "./open-external.ts";
export { registerIpc, isTrustedSender } from "./ipc.ts";
export { hardenSession } from "./harden-session.ts";

if (process.versions.electron) {
  const electron = (await import("electron")) as unknown as ElectronApi & { default?: ElectronApi };
  const api = electron.default ?? electron;
  registerAppScheme(api.protocol);
  startDesktop(api, {
    bundleDir: dirname(fileURLToPath(import.meta.url)),
    sandbox: process.argv.includes("--sandbox"),
  }).catch((e: unknown) => {
    console.error(`Lifeboat could not start: ${e instanceof Error ? e.message : String(e)}`);
    api.app.exit(1);
  });
}
