import { existsSync, readFileSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { killStalePoolers } from "./proxy/poolers.ts";
import { layoutFor } from "./sandbox-layout.ts";
import { STATE_FILE } from "./sandbox-state.ts";

export const LOCK_FILE = "sandbox.lock";
const OURS = new Set([STATE_FILE, LOCK_FILE, "wal-archive", "base-backups", "computes", "tls", "poolers"]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Stops (immediately: the data is about to go) any server still running in the sandbox's compute folders. */
export async function killComputes(root: string): Promise<void> {
  const computes = layoutFor(root).pgdata;
  if (!existsSync(computes)) return;
  for (const name of await readdir(computes)) {
    const pidFile = join(computes, name, "postmaster.pid");
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) continue;
    process.kill(pid, "SIGQUIT");
    for (let i = 0; i < 200 && alive(pid); i++) await sleep(50);
  }
}

/**
 * Empties a sandbox folder (the caller holds its lock, which stays). Refuses a folder holding anything the sandbox did
 * not put there, so a mistyped --dir cannot wipe someone's files.
 */
export async function clearSandbox(root: string): Promise<void> {
  if (!existsSync(root)) return;
  const entries = await readdir(root);
  const foreign = entries.filter((n) => !OURS.has(n) && !n.startsWith(`.${STATE_FILE}.`));
  if (foreign.length) {
    throw new LifeboatError(
      "TARGET_NOT_EMPTY",
      `${root} holds files that are not the sandbox's (${foreign.slice(0, 5).join(", ")}); not deleting it`,
      "Point --dir at the sandbox's own folder.",
    );
  }
  await killComputes(root);
  await killStalePoolers(root);
  for (const n of entries) if (n !== LOCK_FILE) await rm(join(root, n), { recursive: true, force: true });
}
