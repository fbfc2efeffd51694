// One run of a job at a time on this machine, and a lock that survives the run being killed. The journal's lock
// (journal/file-lock.ts) waits for its holder, which is right for a batch write of a few milliseconds; a job's lock
// must never wait (a second run is refused at once and says who holds it), and it is held for hours, so a pid that
// was reused by an unrelated process must not keep it forever: the lock carries a lease, and past it the lock is
// stale even if the pid lives.
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { processAlive } from "../process/process-alive.ts";

export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
  startedAt: string;
  leaseUntil: string;
}

export type LockAttempt =
  | { acquired: true; release: () => Promise<void>; tookOver?: LockHolder & { why: string } }
  | { acquired: false; holder: LockHolder | undefined; path: string };

async function readHolder(path: string): Promise<{ holder?: LockHolder; mtimeMs: number } | undefined> {
  try {
    const [text, s] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    try {
      return { holder: JSON.parse(text) as LockHolder, mtimeMs: s.mtimeMs };
    } catch {
      return { mtimeMs: s.mtimeMs };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Why the lock's holder no longer holds it, or undefined when it still does. */
function staleness(found: { holder?: LockHolder; mtimeMs: number }, now: Date): string | undefined {
  const h = found.holder;
  // Unreadable: a crash between creating the file and writing it; a live writer finishes within milliseconds.
  if (!h || typeof h.pid !== "number") return now.getTime() - found.mtimeMs > 10_000 ? "unreadable" : undefined;
  if (h.host === hostname() && !processAlive(h.pid)) return `process ${h.pid} is gone (killed or crashed)`;
  if (Date.parse(h.leaseUntil) < now.getTime()) return `its lease ran out at ${h.leaseUntil}`;
  return undefined;
}

export function lockPath(dir: string, profile: string, job: string): string {
  return join(dir, `${profile}.${job}.lock`);
}

/** Takes the job's lock without waiting; a stale lock (holder dead, lease over) is taken over and reported. */
export async function tryJobLock(
  dir: string,
  profile: string,
  job: string,
  me: Omit<LockHolder, "pid" | "host">,
  now: Date,
): Promise<LockAttempt> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = lockPath(dir, profile, job);
  let tookOver: (LockHolder & { why: string }) | undefined;
  for (let tries = 0; tries < 3; tries++) {
    try {
      const fh = await open(path, "wx", 0o600);
      try {
        await fh.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), ...me }));
        await fh.sync();
      } finally {
        await fh.close();
      }
      return {
        acquired: true,
        release: () => rm(path, { force: true }),
        ...(tookOver ? { tookOver } : {}),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    const found = await readHolder(path);
    if (!found) continue;
    const why = staleness(found, now);
    if (!why) return { acquired: false, holder: found.holder, path };
    // Moved aside, not deleted: if two runs race to take over the same stale lock, only one rename succeeds.
    const aside = `${path}.stale-${process.pid}`;
    try {
      await rename(path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      continue;
    }
    const moved = await readHolder(aside);
    if (moved?.holder?.runId !== found.holder?.runId) {
      // Another run took the stale lock over first and this moved its fresh lock: give it back.
      await rename(aside, path).catch(() => undefined);
      return { acquired: false, holder: moved?.holder, path };
    }
    await rm(aside, { force: true });
    tookOver = { ...(found.holder ?? { pid: 0, host: "?", runId: "?", startedAt: "?", leaseUntil: "?" }), why };
  }
  return { acquired: false, holder: (await readHolder(path))?.holder, path };
}
