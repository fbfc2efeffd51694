import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { absPath, runAsOwner, type SandboxLayout } from "./sandbox-layout.ts";
import type { BaseBackupRecord } from "./sandbox-state.ts";

// Copying a base backup (a thousand-odd files) is the slowest step of a branch on a small machine. So one copy of the
// newest base backup is made in advance, in the background; a recovery from that backup takes it with one rename.

const PREFIX = ".spare-";

function spareDir(layout: SandboxLayout, bb: BaseBackupRecord): string {
  return join(layout.pgdata, `${PREFIX}${bb.id}`);
}

/** Moves the spare copy of `bb` to `dest` if there is one; false when the caller must copy. */
export async function takeSpare(layout: SandboxLayout, bb: BaseBackupRecord, dest: string): Promise<boolean> {
  try {
    await rename(spareDir(layout, bb), dest);
    return true;
  } catch {
    return false;
  }
}

/** Makes the spare copy of `bb` (copy to a temporary name, then rename) and drops spares of other backups. */
export async function prepareSpare(layout: SandboxLayout, bb: BaseBackupRecord): Promise<void> {
  const want = spareDir(layout, bb);
  for (const name of await readdir(layout.pgdata)) {
    const path = join(layout.pgdata, name);
    if (name.startsWith(PREFIX) && path !== want) await rm(path, { recursive: true, force: true });
  }
  if (existsSync(want)) return;
  const tmp = `${want}.tmp-${randomBytes(3).toString("hex")}`;
  try {
    await runAsOwner(layout, "cp", ["-a", absPath(layout, bb.dir), tmp]);
    await rename(tmp, want);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
