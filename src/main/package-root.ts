import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of Lifeboat's own package.json, found by walking up from this module. The same code runs from src/
 * (through tsx), from the CLI bundle cached under node_modules/.cache, and from dist/electron, so a path counted in
 * "../" from import.meta.url would be right in only one of them.
 */
export function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "lifeboat")
      return dir;
    if (dirname(dir) === dir) throw new Error(`Lifeboat's package.json was not found above ${from}`);
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
