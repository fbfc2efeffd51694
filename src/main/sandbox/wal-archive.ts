import { existsSync } from "node:fs";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import type { LocalCluster } from "../postgres/local-cluster.ts";
import { parseLsn } from "./lsn.ts";

// One WAL archive shared by every compute of the sandbox. Segment and history file names carry the timeline, so the
// clusters never write the same name; a name that exists already is accepted only if the bytes are the same.

function q(path: string): string {
  return `'${path}'`;
}

/** archive_command: atomic (copy then rename), so a restore never reads half a segment. */
export function archiveCommand(archiveDir: string): string {
  const dest = `${archiveDir}/%f`;
  return `if [ -f ${q(dest)} ]; then cmp -s %p ${q(dest)}; else cp %p ${q(dest + ".tmp")} && mv ${q(dest + ".tmp")} ${q(dest)}; fi`;
}

/** restore_command: quiet when a file is absent (PostgreSQL probes for timelines that do not exist). */
export function restoreCommand(archiveDir: string): string {
  const src = `${archiveDir}/%f`;
  return `test -f ${q(src)} && cp ${q(src)} %p`;
}

/** Settings every sandbox compute runs with: WAL archiving on, small and frugal. */
export function computeSettings(archiveDir: string, fast: boolean): Record<string, string> {
  return {
    wal_level: "replica",
    archive_mode: "on",
    archive_command: archiveCommand(archiveDir),
    max_wal_senders: "4",
    max_connections: "40",
    shared_buffers: "32MB",
    // Sandboxes made by tests trade crash safety for speed; a user's sandbox keeps it.
    ...(fast ? { fsync: "off", synchronous_commit: "off" } : {}),
  };
}

/** Every sandbox cluster is initialised with 1 MB WAL segments (sandbox-create.ts), so archiving keeps up. */
export const WAL_SEGMENT_BYTES = 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Makes everything the cluster has written so far restorable: commits an empty transaction (a recovery to a time
 * needs a commit after that time to know where to stop, and a recovery to a position needs a record there), closes the
 * current WAL segment and waits until the archiver has copied it. `before` is the WAL insert position from before
 * that: every transaction committed earlier is at or before it.
 */
export async function archiveNow(
  cluster: LocalCluster,
  archiveDir: string,
  opts: { timeoutMs?: number } = {},
): Promise<{ before: string; at: Date }> {
  const before = ((await cluster.query("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0] as { lsn: string })
    .lsn;
  await cluster.query("SELECT txid_current()");
  const at = new Date();
  const r = await cluster.query("SELECT pg_walfile_name(pg_switch_wal()) AS file");
  const { file } = r.rows[0] as { file: string };
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!existsSync(join(archiveDir, file))) {
    if (Date.now() > deadline) {
      const a = (await cluster.query("SELECT last_failed_wal, failed_count FROM pg_stat_archiver")).rows[0] as {
        last_failed_wal: string | null;
        failed_count: string;
      };
      throw new LifeboatError(
        "INTERNAL",
        `the sandbox's WAL archiver did not archive ${file} in time (failed attempts: ${a.failed_count}${a.last_failed_wal ? `, last failed: ${a.last_failed_wal}` : ""})`,
        `Check free disk space and the server log in ${cluster.dataDir}.`,
      );
    }
    await sleep(25);
  }
  return { before, at };
}

const hex8 = (n: bigint) => n.toString(16).toUpperCase().padStart(8, "0");

/** The name of the WAL segment file that holds `lsn` on timeline `tli` (PostgreSQL's XLogFileName, 1 MB segments). */
export function walFileOf(tli: number, lsn: string): string {
  const at = parseLsn(lsn);
  if (at === null) throw new Error(`not an LSN: ${lsn}`);
  const seg = BigInt(WAL_SEGMENT_BYTES);
  const perId = 0x1_0000_0000n / seg;
  const segno = at / seg;
  return `${hex8(BigInt(tli))}${hex8(segno / perId)}${hex8(segno % perId)}`;
}

/**
 * Waits until `file` is in the archive; false after `timeoutMs`. A recovery that ran without it would end early and,
 * to a time with nothing committed later, look like a recovery to the end: a branch silently short of commits.
 */
export async function waitForArchived(archiveDir: string, file: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(join(archiveDir, file))) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}
