// Bundles the desktop shell for Electron: dist/electron/main.js (ESM; dependencies stay in node_modules, which the
// packaged app carries) and dist/electron/preload.cjs (one self-contained CommonJS file, as a sandboxed preload must
// be: it may require nothing but electron). Run: node --import tsx src/main/electron/build/bundle-electron.ts
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "../../package-root.ts";

const REPO = PACKAGE_ROOT;

export async function bundleElectron(
  outDir = join(REPO, "dist", "electron"),
): Promise<{ main: string; preload: string }> {
  const { build } = await import("esbuild");
  const main = join(outDir, "main.js");
  const preload = join(outDir, "preload.cjs");
  await build({
    entryPoints: [join(REPO, "src/main/electron/main.ts")],
    outfile: main,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  await build({
    entryPoints: [join(REPO, "src/main/electron/preload.ts")],
    outfile: preload,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "chrome120",
    external: ["electron"],
    minify: true,
    logLevel: "warning",
  });
  return { main, preload };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await bundleElectron(process.argv[2]);
  console.log(`built ${out.main} and ${out.preload}`);
}
