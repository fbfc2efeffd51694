// The screens under test are built from the working tree into a private folder, so an e2e run never tests a stale
// dist/renderer and never races another process writing dist/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
let built: Promise<string> | undefined;

export function buildRendererForTests(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), "lifeboat-renderer-e2e-"));
    process.once("exit", () => rmSync(outDir, { recursive: true, force: true }));
    const vite = await import("vite");
    await vite.build({
      configFile: join(REPO, "src", "renderer", "vite.config.ts"),
      logLevel: "warn",
      build: { outDir, emptyOutDir: true },
    });
    return outDir;
  })();
  return built;
}
