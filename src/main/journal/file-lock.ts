// A cross-process lock on the journal, so that the desktop app and a CLI run in a terminal can both append without
// forking the chain. Node has no flock(), so this is the classic O_EXCL lock file holding "pid host time". A lock whose
// owner is a dead process on this host (kill -9, power cut) is stale and is taken over. Locks are held only while a
// batch is written and fsynced, so waits are short.
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, linkSync } from "node:fs";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { LifeboatError } from "../../shared/errors.ts";

export interface FileLock {
  release(): void;
}

const HOST = hostname();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, `${process.pid} ${HOST} ${Date.now()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(path: string): { text: string; mtimeMs: number } | undefined {
  try {
    return { mtimeMs: statSync(path).mtimeMs, text: readFileSync(path, "utf8") };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function isStale(owner: { text: string; mtimeMs: number }): boolean {
  const [pidText, host] = owner.text.trim().split(" ");
  const pid = Number(pidText);
  // An empty or garbled file is a lock being written right now, or the remains of a crash between create and write.
  if (!Number.isInteger(pid) || pid <= 0 || !host) return Date.now() - owner.mtimeMs > 10_000;
  return host === HOST && !isAlive(pid);
}

/** Moves a stale lock out of the way; if it turns out a live lock was moved instead (a race), puts it back. */
function steal(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  const moved = readFileSync(aside, "utf8");
  if (moved !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // Someone already holds a fresh lock; the one we moved belonged to a process that will notice nothing wrong
      // only if it is also finished. This needs three writers racing on a crashed lock; accepted.
    }
  }
  unlinkSync(aside);
}

/** Takes the lock, waiting (polling) up to timeoutMs. */
export async function acquireFileLock(path: string, timeoutMs = 30_000): Promise<FileLock> {
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    if (tryCreate(path)) {
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
          }
        },
      };
    }
    const owner = readOwner(path);
    if (owner && isStale(owner)) {
      steal(path, owner.text);
      continue;
    }
    if (Date.now() > deadline) {
      throw new LifeboatError(
        "JOURNAL_LOCKED",
        `The journal is locked by another Lifeboat process (${owner?.text.trim() || "unknown owner"}).`,
        `Wait for it to finish. If no Lifeboat process is running, delete ${path}.`,
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 25);
  }
}
