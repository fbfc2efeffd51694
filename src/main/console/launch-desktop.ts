// Starting the desktop app from the CLI (`lifeboat console` where Electron is installed). Only finds and spawns the
// Electron binary; the app itself is main.ts, bundled first so it runs without tsx.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

/** The Electron binary npm installed, or undefined (not installed, or its download was skipped). */
export function electronBinary(): string | undefined {
  try {
    // The electron package's main export is the path of the binary it downloaded; it throws when there is none.
    const path: unknown = createRequire(import.meta.url)("electron");
    return typeof path === "string" && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export type Shell = { kind: "desktop"; binary: string } | { kind: "browser"; reason?: string };

export function chooseShell(opts: { browser?: boolean; binary: string | undefined }): Shell {
  if (opts.browser) return { kind: "browser" };
  if (!opts.binary)
    return {
      kind: "browser",
      reason:
        "Electron is not installed here (npm could not download its binary), so the console opens in your browser.",
    };
  return { kind: "desktop", binary: opts.binary };
}

/** Runs the desktop app until its window closes; resolves with its exit code. */
export async function launchDesktop(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { bundleElectron } = await import("../electron/build/bundle-electron.ts");
  const { main } = await bundleElectron();
  const child = spawn(binary, [main, ...args], { env, stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
