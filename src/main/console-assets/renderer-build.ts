import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
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
    // Built beside the target and renamed into place: two processes started at once on a fresh clone (two consoles,
    // or test files running in parallel) each build their own copy, the first rename wins, and nobody ever serves or
    // empties a half-written folder.
    await mkdir(dirname(dir), { recursive: true });
    const scratch = await mkdtemp(`${dir}.building-`);
    try {
      await vite.build({ configFile: VITE_CONFIG, logLevel: "warn", build: { outDir: scratch, emptyOutDir: true } });
      await rename(scratch, dir).catch(async (e: NodeJS.ErrnoException) => {
        if (e.code !== "ENOTEMPTY" && e.code !== "EEXIST") throw e;
        // Another process's build is already in place: use it. Otherwise a folder left half-written by an older
        // version is in the way: replace it.
        if (existsSync(join(dir, "index.html"))) return;
        await rm(dir, { recursive: true, force: true });
        await rename(scratch, dir);
      });
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
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
