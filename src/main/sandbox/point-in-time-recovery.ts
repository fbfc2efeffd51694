import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, chown, copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import type { LocalCluster } from "../postgres/local-cluster.ts";
import { startCompute, type ComputeAccess } from "./compute-start.ts";
import { takeSpare } from "./spare-copy.ts";
import { absPath, runAsOwner, type SandboxLayout } from "./sandbox-layout.ts";
import { parseLsn } from "./lsn.ts";
import type { BaseBackupRecord } from "./sandbox-state.ts";
import {
  chooseBaseBackup,
  historyFileName,
  lineageOf,
  timelineStartLsn,
  type RecoveryTarget,
} from "./timeline-history.ts";
import { restoreCommand } from "./wal-archive.ts";

const RECOVERY_CONF = "sandbox-recovery.conf";
const TARGET_NOT_REACHED = /recovery ended before configured recovery target was reached/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quoteConf(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

function recoveryConf(archiveDir: string, tli: number, target: RecoveryTarget, major: number): string {
  const lines = [
    "# Written by the Lifeboat sandbox for one point-in-time recovery; emptied once the branch is promoted.",
    `restore_command = ${quoteConf(restoreCommand(archiveDir))}`,
    `recovery_target_timeline = '${tli}'`,
  ];
  // Recovery first fsyncs the whole copied data directory; one syncfs() per file system beats a thousand fsync()s.
  if (process.platform === "linux" && major >= 14) lines.push("recovery_init_sync_method = 'syncfs'");
  // Neon's parent_timestamp includes commits made at that very instant, as recovery_target_inclusive = on does.
  if (target.kind === "time")
    lines.push(
      `recovery_target_time = ${quoteConf(target.literal)}`,
      "recovery_target_inclusive = on",
      "recovery_target_action = 'promote'",
    );
  if (target.kind === "lsn")
    lines.push(
      `recovery_target_lsn = '${target.lsn}'`,
      "recovery_target_inclusive = on",
      "recovery_target_action = 'promote'",
    );
  return lines.join("\n") + "\n";
}

export interface RecoverOptions {
  layout: SandboxLayout;
  access: ComputeAccess;
  backups: BaseBackupRecord[];
  /** The timeline of the source branch: the recovery follows its lineage. */
  sourceTli: number;
  target: RecoveryTarget;
  /**
   * What a time target means when no commit on the lineage comes after it: the stopped source's archived end (an LSN
   * target, so WAL missing from the archive fails the recovery instead of ending it short). Without it, a missing later
   * commit is an error.
   */
  fallback?: RecoveryTarget;
  port?: number;
}

export interface RecoveryTimings {
  /** Closing and archiving the source's current WAL segment first (0 when the source is stopped). */
  sourceArchiveMs?: number;
  /** Copying the base backup; near 0 when a spare copy made in advance was used. */
  copyMs: number;
  replayMs: number;
  archiveMs: number;
  /** WAL between the base backup's end and the branch point. */
  walReplayedBytes: number;
}

export interface Recovered {
  cluster: LocalCluster;
  dataDir: string;
  tli: number;
  /** Where the new timeline leaves the source's: the branch point (parent_lsn). */
  branchLsn: string;
  reachedEnd: boolean;
  /** Where the time went: copying the base backup, replaying WAL up to promotion, the history file's archiving. */
  timings: RecoveryTimings;
}

type PromotionResult = { promoted: true } | { promoted: false; log: string };

async function waitForPromotion(cluster: LocalCluster, timeoutMs: number): Promise<PromotionResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!existsSync(join(cluster.dataDir, "postmaster.pid")))
      return { promoted: false, log: await cluster.logTail(200) };
    try {
      const r = await cluster.query("SELECT pg_is_in_recovery() AS r");
      if (!(r.rows[0] as { r: boolean }).r) return { promoted: true };
    } catch {
      // Not accepting connections yet, or shutting down after a failed recovery: the pid file tells which.
    }
    if (Date.now() > deadline) {
      await cluster.stop("immediate").catch(() => {});
      throw new LifeboatError(
        "INTERNAL",
        `point-in-time recovery in ${cluster.dataDir} did not finish within ${Math.round(timeoutMs / 1000)} s`,
        "The WAL to replay may be large; try again, or reset the sandbox.",
      );
    }
    await sleep(50);
  }
}

async function startRecovery(
  dataDir: string,
  opts: RecoverOptions,
  target: RecoveryTarget,
): Promise<{ cluster: LocalCluster | null; log: string }> {
  const major = Number((await readFile(join(dataDir, "PG_VERSION"), "utf8")).trim());
  await writeFile(join(dataDir, RECOVERY_CONF), recoveryConf(opts.layout.archive, opts.sourceTli, target, major));
  let cluster: LocalCluster;
  try {
    cluster = await startCompute(dataDir, opts.access, opts.port);
  } catch (e) {
    const log = await readFile(join(dataDir, "lifeboat-server.log"), "utf8").catch(() => "");
    if (TARGET_NOT_REACHED.test(log)) return { cluster: null, log };
    throw e;
  }
  const r = await waitForPromotion(cluster, 10 * 60_000);
  return r.promoted ? { cluster, log: "" } : { cluster: null, log: r.log };
}

/**
 * A real point-in-time recovery: copy a base backup on the source's lineage into a new data directory, replay the
 * archived WAL along the lineage up to the target, promote (PostgreSQL picks the next free timeline, and archives its
 * history file), and return the running cluster.
 */
export async function recoverBranch(opts: RecoverOptions): Promise<Recovered> {
  const { layout } = opts;
  const lineage = await lineageOf(layout.archive, opts.sourceTli);
  const bb = chooseBaseBackup(opts.backups, lineage, opts.target);
  if (!bb)
    throw new LifeboatError("INTERNAL", "no base backup of the sandbox reaches that point in the branch's history");
  const dataDir = join(
    layout.pgdata,
    `tl${opts.sourceTli}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`,
  );
  let cluster: LocalCluster | null = null;
  const t0 = Date.now();
  try {
    const fromSpare = await takeSpare(layout, bb, dataDir);
    if (!fromSpare) await runAsOwner(layout, "cp", ["-a", absPath(layout, bb.dir), dataDir]);
    const copied = Date.now();
    await writeFile(join(dataDir, "recovery.signal"), "");
    if (layout.owner) await chown(join(dataDir, "recovery.signal"), layout.owner.uid, layout.owner.gid);
    await appendFile(join(dataDir, "postgresql.conf"), `\ninclude_if_exists = '${RECOVERY_CONF}'\n`);

    let reachedEnd = opts.target.kind === "end";
    let started = await startRecovery(dataDir, opts, opts.target);
    if (!started.cluster && opts.target.kind === "time" && opts.fallback && TARGET_NOT_REACHED.test(started.log)) {
      // Nothing was committed after the time on this lineage: the source's end is that state, if the recovery reaches it.
      reachedEnd = true;
      started = await startRecovery(dataDir, opts, opts.fallback);
    }
    if (!started.cluster && TARGET_NOT_REACHED.test(started.log))
      throw new LifeboatError(
        "INTERNAL",
        "point-in-time recovery ended before the requested point: WAL the branch wrote is missing from the sandbox's archive, so no branch was made",
        "Try again in a moment; if it persists, check free disk space in the sandbox folder, or reset the sandbox.",
      );
    if (!started.cluster) {
      const log = await keepServerLog(layout, dataDir);
      const lines = started.log
        .split("\n")
        .filter((l) => /FATAL|PANIC|ERROR/.test(l))
        .slice(-3)
        .join(" | ");
      throw new LifeboatError(
        "INTERNAL",
        `point-in-time recovery failed: ${lines || "the server stopped during recovery"}`,
        `Read the server log, kept in ${log}.`,
      );
    }
    cluster = started.cluster;
    const promoted = Date.now();
    await writeFile(
      join(dataDir, RECOVERY_CONF),
      "# recovery finished; see the sandbox state for where this branch came from\n",
    );
    const f = (await cluster.query("SELECT pg_walfile_name(pg_current_wal_lsn()) AS f")).rows[0] as { f: string };
    const tli = parseInt(f.f.slice(0, 8), 16);
    // The next recovery picks its timeline by probing the archive for history files, so this one must be there first.
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(layout.archive, historyFileName(tli)))) {
      if (Date.now() > deadline)
        throw new LifeboatError(
          "INTERNAL",
          `the history file of timeline ${tli} was not archived in time`,
          `Read the server log, kept in ${await keepServerLog(layout, dataDir)}.`,
        );
      await sleep(25);
    }
    const branchLsn = await timelineStartLsn(layout.archive, tli);
    if (!branchLsn) throw new LifeboatError("INTERNAL", `timeline ${tli} has no switch point`);
    const timings = {
      copyMs: copied - t0,
      replayMs: promoted - copied,
      archiveMs: Date.now() - promoted,
      walReplayedBytes: Number((parseLsn(branchLsn) ?? 0n) - (parseLsn(bb.startLsn) ?? 0n)),
    };
    return { cluster, dataDir, tli, branchLsn, reachedEnd, timings };
  } catch (e) {
    await cluster?.stop("immediate").catch(() => {});
    // A server that failed mid-start may still hold the folder; stop it before removing it.
    if (existsSync(join(dataDir, "postmaster.pid")))
      await runAsOwner(layout, join(opts.access.binDir, "pg_ctl"), [
        "stop",
        "-D",
        dataDir,
        "-m",
        "immediate",
        "-w",
      ]).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A failed recovery's data directory is removed, so its server log is copied first into the sandbox's logs folder,
 * where an error's hint can send the operator. Returns the kept log's path.
 */
export async function keepServerLog(layout: SandboxLayout, dataDir: string): Promise<string> {
  const kept = join(layout.root, "logs", `recovery-${basename(dataDir)}.log`);
  await mkdir(dirname(kept), { recursive: true });
  await copyFile(join(dataDir, "lifeboat-server.log"), kept).catch(async (e: NodeJS.ErrnoException) => {
    await writeFile(kept, `(the server wrote no log in ${dataDir}: ${e.code ?? e.message})\n`);
  });
  return kept;
}
