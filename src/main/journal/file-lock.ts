// A cross-process lock on the journal, so that the desktop app and a CLI run in a terminal can both append without
// forking the chain. Node has no flock(), so this is a lock file holding "pid host time start=<process start>". It
// appears with its content in one step (written aside, then hard-linked into place, which fails if a lock exists), so
// a lock file that is empty or garbled was never a live lock: it is the remains of a crash (or of a full disk in an
// older version) and is taken over at once. A lock whose owner is a dead process on this host (kill -9, power cut),
// or whose pid now belongs to another process (the same pid after a reboot), is stale and is taken over too. Locks
// are held only while a batch is written and fsynced, so waits are short.
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { LifeboatError } from "../../shared/errors.ts";
import { localDiskError } from "../process/local-disk-error.ts";

export interface FileLock {
  release(): void;
}

const HOST = hostname();

/** Whether a process with this pid exists on this machine (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** When the process started (clock ticks since boot, /proc/<pid>/stat field 22), where the OS tells (Linux). */
export function processStart(pid: number): string | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

const OWN_START = processStart(process.pid);

export function lockText(): string {
  return `${process.pid} ${HOST} ${Date.now()}${OWN_START ? ` start=${OWN_START}` : ""}\n`;
}

function lockError(e: unknown, path: string): LifeboatError {
  return localDiskError(
    e,
    path,
    "create the lock file",
    `Lifeboat needs to write in ${path.slice(0, Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")))}: free some space, remount it read-write, or fix its permissions. Read-only commands (lifeboat backups, journal list) still work.`,
    "JOURNAL_WRITE_FAILED",
  );
}

/** Creates the lock with its content in one step; false when one exists. */
function tryCreate(path: string): boolean {
  const aside = `${path}.${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    const fd = openSync(aside, "wx", 0o600);
    try {
      writeSync(fd, lockText());
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(aside, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw e;
    }
  } catch (e) {
    throw lockError(e, path);
  } finally {
    try {
      unlinkSync(aside);
    } catch {
      // Never created (the disk refused it): nothing to remove.
    }
  }
}

function readOwner(path: string): { text: string; mtimeMs: number } | undefined {
  try {
    return { mtimeMs: statSync(path).mtimeMs, text: readFileSync(path, "utf8") };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw lockError(e, path);
  }
}

/** Why a lock file is stale, or undefined when it belongs to a live process (or another host, which cannot tell). */
export function staleReason(text: string): string | undefined {
  const [pidText, host, , startField] = text.trim().split(" ");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || !host) return "the lock file is empty or garbled (left by a crash)";
  if (host !== HOST) return undefined;
  if (!isAlive(pid)) return `process ${pid} that held it is gone`;
  const start = startField?.startsWith("start=") ? startField.slice(6) : undefined;
  const now = start ? processStart(pid) : undefined;
  if (start && now && now !== start) return `pid ${pid} now belongs to another process (the holder is gone)`;
  return undefined;
}

/** Moves a stale lock out of the way; if it turns out a live lock was moved instead (a race), puts it back. */
function steal(path: string, staleText: string): void {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw lockError(e, path);
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
    if (owner && staleReason(owner.text)) {
      steal(path, owner.text);
      continue;
    }
    if (Date.now() > deadline) {
      throw new LifeboatError(
        "JOURNAL_LOCKED",
        `${path} is locked by another running Lifeboat process (${owner?.text.trim() || "unknown owner"})`,
        `Wait for it to finish. If no Lifeboat process is running (check with ps), \`lifeboat doctor --fix\` removes the lock, or delete ${path}.`,
        { path },
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 25);
  }
}
