import { existsSync } from "node:fs";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { PACKAGE_ROOT } from "../package-root.ts";

const REPO = PACKAGE_ROOT;
export const DEFAULT_RENDERER_DIR = join(REPO, "dist", "renderer");
const VITE_CONFIG = join(REPO, "src", "renderer", "vite.config.ts");

let building: Promise<void> | undefined;

/**
 * The built renderer folder, building it with vite when index.html is missing (a fresh clone). vite is loaded only
 * then, so a packaged app that ships dist/renderer never needs it.
 */
export async function ensureRendererBuild(
  dir = DEFAULT_RENDERER_DIR,
  log: (line: string) => void = () => undefined,
): Promise<string> {
  if (existsSync(join(dir, "index.html"))) return dir;
  if (!existsSync(VITE_CONFIG)) {
    throw new LifeboatError(
      "INTERNAL",
      `The console's screens are not built (${dir} has no index.html) and their sources are not here to build.`,
      "Reinstall Lifeboat, or run `npm run build:renderer` in a source checkout.",
    );
  }
  building ??= (async () => {
    log("Building the console's screens (first run)…");
    let vite: typeof import("vite");
    try {
      vite = await import("vite");
    } catch {
      throw new LifeboatError(
        "INTERNAL",
        "The console's screens are not built and vite is not installed to build them.",
        "Run `npm install` (with dev dependencies), then `npm run build:renderer`.",
      );
    }
    await vite.build({ configFile: VITE_CONFIG, logLevel: "warn", build: { outDir: dir, emptyOutDir: true } });
  })().finally(() => (building = undefined));
  await building;
  if (!existsSync(join(dir, "index.html")))
    throw new LifeboatError(
      "INTERNAL",
      `vite finished but ${dir} has no index.html.`,
      "Run `npm run build:renderer` and read its output.",
    );
  return dir;
}
