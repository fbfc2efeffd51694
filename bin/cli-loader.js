// Loads the CLI's `main`. Through tsx every command pays ~0.4 s of start-up (its loader hooks transform and resolve
// each module across a thread); the same sources bundled once by esbuild start in a third of that. The bundle is
// built on first use and cached under node_modules/.cache, keyed by a fingerprint of the sources (path, size, mtime
// of every file), so an edited or freshly pulled checkout rebuilds on its next command: there is still no build step.
// Dependencies stay external (resolved from node_modules as usual), and the command modules stay lazily loaded
// (code splitting). Anything unexpected — no write access, esbuild missing, a failed build — falls back to tsx, the
// path that always works; LIFEBOAT_FROM_SOURCE=1 asks for it.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Everything the CLI bundle is built from: the engine, the shared contract, this loader and the package manifest. */
const INPUTS = ["src/main", "src/shared", "bin/cli-loader.js", "package.json"];
const OLD_BUNDLE_MS = 60 * 60 * 1000;

/** @param {string} root @returns {string} */
export function sourceFingerprint(root = ROOT) {
  const hash = createHash("sha256");
  /** @param {string} rel */
  const visit = (rel) => {
    const path = join(root, rel);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of readdirSync(path).sort()) visit(join(rel, name));
    } else {
      hash.update(`${rel}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  for (const rel of INPUTS) visit(rel);
  return hash.digest("hex").slice(0, 20);
}

/** @param {string} root @returns {string} */
export function bundleCacheDir(root = ROOT) {
  return join(root, "node_modules", ".cache", "lifeboat-cli");
}

/**
 * Builds (or finds) the bundle for the current sources; returns the path of its main.js.
 * @param {string} root
 * @returns {Promise<string>}
 */
export async function ensureCliBundle(root = ROOT) {
  const cache = bundleCacheDir(root);
  const dir = join(cache, sourceFingerprint(root));
  const main = join(dir, "main.js");
  if (existsSync(main)) return main;
  const { build } = await import("esbuild");
  mkdirSync(cache, { recursive: true });
  // Built aside and renamed into place, so a concurrent command never imports a half-written bundle.
  const tmp = `${dir}.tmp-${process.pid}`;
  try {
    await build({
      entryPoints: { main: join(root, "src/main/cli/main.ts") },
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      target: "node20",
      packages: "external",
      logLevel: "silent",
    });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(main)) throw e; // another command built the same sources first: use theirs
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  pruneOldBundles(cache, dir);
  return main;
}

/**
 * Bundles of other sources, once an hour old: a command still running from one may yet load its lazy chunks.
 * @param {string} cache @param {string} keep
 */
function pruneOldBundles(cache, keep) {
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (path === keep) continue;
    const st = statSync(path, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > OLD_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The CLI's main(), from the cached bundle where possible, else from the TypeScript sources through tsx.
 * @returns {Promise<(argv: string[]) => Promise<number>>}
 */
export async function loadCliMain() {
  if (process.env.LIFEBOAT_FROM_SOURCE !== "1") {
    try {
      const bundle = await ensureCliBundle();
      return (await import(pathToFileURL(bundle).href)).main;
    } catch {
      // fall through to the sources: slower to start, same behaviour
    }
  }
  const { register } = await import("tsx/esm/api");
  register();
  return (await import("../src/main/cli/main.ts")).main;
}
