// The screens under test are built from the working tree into a private folder, so an e2e run never tests a stale
// dist/renderer and never races another process writing dist/.
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
let built: Promise<string> | undefined;

export function buildRendererForTests(): Promise<string> {
  built ??= (async () => {
    const outDir = join(REPO, "test-artifacts", `renderer-e2e-${process.pid}`);
    const vite = await import("vite");
    await vite.build({ configFile: join(REPO, "src", "renderer", "vite.config.ts"), logLevel: "warn", build: { outDir, emptyOutDir: true } });
    return outDir;
  })();
  return built;
}
