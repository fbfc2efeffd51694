import { constants } from "node:fs";
import { access, chmod, cp, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join, parse } from "node:path";
import type { ServerOwner } from "./server-owner.ts";

async function traversable(dir: string, owner: ServerOwner): Promise<boolean> {
  const s = await stat(dir);
  if (s.uid === owner.uid) return (s.mode & 0o100) !== 0;
  if (s.gid === owner.gid) return (s.mode & 0o010) !== 0;
  return (s.mode & 0o001) !== 0;
}

/** Every folder from the root down to `dir` lets `owner` through. */
async function reachable(dir: string, owner: ServerOwner): Promise<boolean> {
  const root = parse(dir).root;
  for (let d = dir; ; d = dirname(d)) {
    if (!(await traversable(d, owner))) return false;
    if (d === root) return true;
  }
}

/**
 * When Lifeboat runs as root, the server runs as an unprivileged account, which must be able to reach the binaries.
 * A checkout in a private folder (mktemp -d is 0700) hides node_modules' embedded PostgreSQL from it, so the install
 * (bin, lib, share) is copied once to a world-readable folder under the temp dir and used from there.
 */
export async function binDirUsableBy(binDir: string, owner: ServerOwner | null): Promise<string> {
  if (!owner || (await reachable(binDir, owner))) return binDir;
  const install = dirname(binDir);
  const copy = join(tmpdir(), `lifeboat-pg-install-${createHash("sha256").update(install).digest("hex").slice(0, 12)}`);
  const ready = join(copy, ".complete");
  try {
    await access(ready, constants.F_OK);
    return join(copy, "bin");
  } catch {
    // not copied yet
  }
  const staging = `${copy}.${process.pid}.tmp`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await cp(install, staging, { recursive: true, verbatimSymlinks: true });
  await writeFile(join(staging, ".complete"), install);
  await chmod(staging, 0o755);
  await rename(staging, copy).catch(async () => rm(staging, { recursive: true, force: true })); // another process won the race
  return join(copy, "bin");
}
