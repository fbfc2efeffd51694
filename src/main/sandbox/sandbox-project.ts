import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import type { LocalCluster } from "../postgres/local-cluster.ts";
import { startCompute, type ComputeAccess } from "./compute-start.ts";
import { setEndpointState } from "./branch-actions.ts";
import { LOST_COMPUTE_FAILURES, lostComputeMessage } from "./endpoint-actions.ts";
import { FaultInjector } from "./faults.ts";
import { Poolers } from "./proxy/poolers.ts";
import { Mutex } from "./mutex.ts";
import { notFound } from "./neon-error.ts";
import { OperationQueue } from "./operation-queue.ts";
import { recoverBranch, type Recovered, type RecoveryTimings } from "./point-in-time-recovery.ts";
import { absPath, type SandboxLayout } from "./sandbox-layout.ts";
import { saveState, type BranchRecord, type SandboxState } from "./sandbox-state.ts";
import { prepareSpare } from "./spare-copy.ts";
import { chooseBaseBackup, earliestBackup, lineageOf, type RecoveryTarget } from "./timeline-history.ts";
import { historyCapStart } from "./history-cap.ts";
import { compareLsn } from "./lsn.ts";
import { planOfSandbox } from "./sandbox-plan.ts";
import { archiveNow, WAL_SEGMENT_BYTES, waitForArchived, walFileOf } from "./wal-archive.ts";
import type { TargetTime } from "./history-window.ts";

/** What a request asks a branch to be made from: the source's head, a time, or a WAL position. */
export type PointInHistory = { kind: "head" } | { kind: "time"; time: TargetTime } | { kind: "lsn"; lsn: string };

/**
 * The one project of a sandbox: its state, the running computes (one LocalCluster per branch with a running
 * endpoint) and the physical work every API call comes down to.
 */
export class SandboxProject {
  readonly clusters = new Map<string, LocalCluster>();
  readonly mutex = new Mutex();
  readonly queue: OperationQueue;
  /** Faults on demand (tests and practice): see faults.ts. */
  readonly faults = new FaultInjector();
  /** One PgBouncer per compute, started on the first pooled connection. */
  readonly poolers: Poolers;
  /** The connection proxy's port (0 until it listens) and the certificate clients may trust. */
  proxyPort = 0;
  certPath = "";
  private readonly waking = new Map<string, Promise<number>>();
  /** Told about every point-in-time recovery and where its time went (benchmarks, diagnostics). */
  onRecovery:
    ((r: { sourceBranchId: string; target: RecoveryTarget["kind"]; timings: RecoveryTimings }) => void) | undefined;
  private saving: Promise<void> = Promise.resolve();
  private spare: Promise<void> = Promise.resolve();
  /** How long a recovery of a stopped branch waits for the segment holding its last writes to reach the archive. */
  archiveWaitMs = 60_000;

  constructor(
    readonly state: SandboxState,
    readonly layout: SandboxLayout,
    readonly access: ComputeAccess,
  ) {
    this.queue = new OperationQueue(state.project.id, state.operations, this.mutex, () => this.save());
    this.poolers = new Poolers(layout);
  }

  get id(): string {
    return this.state.project.id;
  }

  /** Writes the state file; writes never overlap, and the last one wins. */
  save(): Promise<void> {
    this.saving = this.saving.then(
      () => saveState(this.layout.root, this.state),
      () => saveState(this.layout.root, this.state),
    );
    return this.saving;
  }

  branch(id: string): BranchRecord | undefined {
    return this.state.branches.find((b) => b.id === id);
  }

  requireBranch(id: string): BranchRecord {
    const b = this.branch(id);
    if (!b) throw notFound(`branch ${id} not found`);
    return b;
  }

  defaultBranch(): BranchRecord {
    const b = this.state.branches.find((x) => x.default);
    if (!b) throw new Error("the sandbox has no default branch");
    return b;
  }

  /** The application role's password on a branch (branches made from a protected branch get their own). */
  rolePassword(branch: BranchRecord): string {
    return branch.rolePassword ?? this.state.role.password;
  }

  /** The application role's connection to a branch's running compute, or null. */
  roleConn(branch: BranchRecord): ConnInfo | null {
    const cluster = this.clusters.get(branch.id);
    if (!cluster) return null;
    return {
      host: cluster.host,
      port: cluster.port,
      database: this.state.database.name,
      user: this.state.role.name,
      password: this.rolePassword(branch),
      sslmode: "disable",
    };
  }

  /**
   * A connection URI of a branch's endpoint, through the proxy: direct, or to its pooler. The endpoint is named in
   * `options` (Neon's way for clients without SNI) so the URI connects as printed with libpq and node-postgres alike;
   * sslrootcert names the sandbox's own certificate, which is what a client must trust here.
   */
  connectionUri(branch: BranchRecord, o: { database?: string; role?: string; pooled?: boolean } = {}): string | null {
    if (!branch.endpoint) return null;
    const pw = encodeURIComponent(this.rolePassword(branch));
    const role = encodeURIComponent(o.role ?? this.state.role.name);
    const database = encodeURIComponent(o.database ?? this.state.database.name);
    const endpoint = `${branch.endpoint.id}${o.pooled ? "-pooler" : ""}`;
    const query = [
      "sslmode=require",
      ...(this.certPath ? [`sslrootcert=${encodeURIComponent(this.certPath)}`] : []),
      `options=${encodeURIComponent(`endpoint=${endpoint}`)}`,
    ].join("&");
    return `postgresql://${role}:${pw}@127.0.0.1:${this.proxyPort}/${database}?${query}`;
  }

  /**
   * Wakes an idle compute, as a connection does on Neon: a start_compute operation, then Postgres runs. A lost
   * compute's start fails (Neon retrying it first), and the error says so. Returns the compute's Postgres port.
   */
  wakeCompute(branch: BranchRecord): Promise<number> {
    const running = this.clusters.get(branch.id);
    if (running) return Promise.resolve(running.port);
    const endpoint = branch.endpoint;
    if (!endpoint) return Promise.reject(new Error(`branch ${branch.id} has no compute`));
    if (!branch.dataDir || branch.currentState !== "ready")
      return Promise.reject(new Error(`branch ${branch.id} is ${branch.currentState}; try again in a moment`));
    const pending = this.waking.get(endpoint.id);
    if (pending) return pending;
    endpoint.pendingState = "active";
    const woke = this.queue
      .background(
        [
          {
            action: "start_compute",
            branchId: branch.id,
            endpointId: endpoint.id,
            run: async () => {
              if (endpoint.lost) throw new Error(lostComputeMessage(endpoint));
              if (!this.clusters.has(branch.id)) await this.startCompute(branch);
              setEndpointState(endpoint, "active");
            },
          },
        ],
        endpoint.lost ? { fault: { ...LOST_COMPUTE_FAILURES, message: lostComputeMessage(endpoint), hits: 1 } } : {},
      )
      .then(async (ok) => {
        await this.save();
        const cluster = this.clusters.get(branch.id);
        if (!ok || !cluster)
          throw new Error(endpoint.lost ? lostComputeMessage(endpoint) : "the compute did not start");
        return cluster.port;
      })
      .finally(() => this.waking.delete(endpoint.id));
    this.waking.set(endpoint.id, woke);
    return woke;
  }

  /**
   * Where a branch's restorable history begins: the retention limit, the first base backup on its lineage, and on the
   * Free plan the 1 GB cap on history, whichever is latest.
   */
  async historyWindow(
    branch: BranchRecord,
    now = new Date(),
  ): Promise<{ earliest: Date; now: Date; earliestLsn: string; capped: boolean }> {
    const lineage = await lineageOf(this.layout.archive, branch.tli ?? 1);
    const bb = earliestBackup(this.state.baseBackups, lineage);
    if (!bb) throw new Error(`no base backup on the lineage of branch ${branch.id}`);
    const byRetention = now.getTime() - this.state.project.historyRetentionSeconds * 1000;
    let earliest = Math.max(byRetention, new Date(bb.endTime).getTime());
    let earliestLsn = bb.endLsn;
    const capBytes = this.state.project.historyCapBytes ?? planOfSandbox(this.state.project.plan).historyCapBytes;
    const cap = capBytes ? await historyCapStart(this.layout.archive, capBytes, WAL_SEGMENT_BYTES) : undefined;
    const capped = !!cap && cap.at.getTime() > earliest;
    if (cap && capped) earliest = cap.at.getTime();
    if (cap && compareLsn(cap.lsn, earliestLsn) > 0) earliestLsn = cap.lsn;
    return { earliest: new Date(earliest), now, earliestLsn, capped };
  }

  /** When the project's history begins: its first base backup (what Neon reports as the project's created_at). */
  historyStart(): Date {
    const first = Math.min(...this.state.baseBackups.map((b) => new Date(b.endTime).getTime()));
    return new Date(Math.max(first, new Date(this.state.project.createdAt).getTime()));
  }

  /** The newest WAL position of a branch: live for a running compute, the archived end for a stopped one. */
  async headLsn(branch: BranchRecord): Promise<string | null> {
    const cluster = this.clusters.get(branch.id);
    if (cluster)
      return ((await cluster.query("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0] as { lsn: string }).lsn;
    return branch.stopped?.lsn ?? null;
  }

  /**
   * Turns a requested point into a recovery target. A running source first archives everything it has written (with
   * a commit after the requested time, so recovery knows where to stop); a stopped one is archived to its end already.
   * A stopped source's end is its archived end position, never "whatever WAL the archive holds": a recovery that cannot
   * reach it fails (PostgreSQL: "recovery ended before configured recovery target was reached") instead of promoting a
   * branch short of commits. `fallback` is what a time after the source's last commit means.
   */
  async resolveTarget(
    source: BranchRecord,
    point: PointInHistory,
  ): Promise<{ target: RecoveryTarget; fallback?: RecoveryTarget }> {
    const cluster = this.clusters.get(source.id);
    if (cluster) {
      const { before } = await archiveNow(cluster, this.layout.archive);
      if (point.kind === "head") return { target: { kind: "lsn", lsn: before } };
      if (point.kind === "lsn") return { target: { kind: "lsn", lsn: point.lsn } };
      return { target: { kind: "time", at: point.time.at, literal: point.time.literal } };
    }
    if (!source.stopped) throw new Error(`branch ${source.id} has neither a running compute nor an archived end`);
    await this.awaitArchivedEnd(source, source.stopped.lsn);
    const end: RecoveryTarget = { kind: "lsn", lsn: source.stopped.lsn };
    if (point.kind === "head") return { target: end };
    if (point.kind === "lsn") return { target: { kind: "lsn", lsn: point.lsn } };
    if (point.time.at.getTime() >= new Date(source.stopped.at).getTime()) return { target: end };
    return { target: { kind: "time", at: point.time.at, literal: point.time.literal }, fallback: end };
  }

  /** Waits (archiveWaitMs at most) until the segment holding a stopped branch's last writes is in the archive. */
  private async awaitArchivedEnd(source: BranchRecord, lsn: string): Promise<void> {
    const file = walFileOf(source.tli ?? 1, lsn);
    if (await waitForArchived(this.layout.archive, file, this.archiveWaitMs)) return;
    throw new LifeboatError(
      "INTERNAL",
      `WAL segment ${file}, which holds branch ${source.id}'s writes up to ${lsn}, is not in the sandbox's archive after ${Math.round(this.archiveWaitMs / 1000)} s: a branch made from it now would lack them`,
      `Try again in a moment; if it persists, check free disk space in ${this.layout.archive}, or reset the sandbox.`,
    );
  }

  /** A real point-in-time recovery of `source` at `point` into a new data directory, left running. */
  async recover(source: BranchRecord, point: PointInHistory, port?: number): Promise<Recovered> {
    const started = Date.now();
    const { target, fallback } = await this.resolveTarget(source, point);
    const archiveMs = Date.now() - started;
    // A spare copy under way is likely the one this recovery needs: waiting beats copying the same files twice at once.
    await this.spare;
    const r = await recoverBranch({
      layout: this.layout,
      access: this.access,
      backups: this.state.baseBackups,
      sourceTli: source.tli ?? 1,
      target,
      ...(fallback ? { fallback } : {}),
      ...(port !== undefined ? { port } : {}),
    });
    this.onRecovery?.({
      sourceBranchId: source.id,
      target: target.kind,
      timings: { ...r.timings, sourceArchiveMs: archiveMs },
    });
    this.refreshSpare();
    return r;
  }

  /** In the background, a ready copy of the newest base backup of the default branch's lineage for the next recovery. */
  refreshSpare(): void {
    this.spare = this.spare
      .then(async () => {
        const lineage = await lineageOf(this.layout.archive, this.defaultBranch().tli ?? 1);
        const bb = chooseBaseBackup(this.state.baseBackups, lineage, { kind: "end" });
        if (bb) await prepareSpare(this.layout, bb);
      })
      .catch(() => {});
  }

  /** Resolves once no spare copy is being made. */
  spareSettled(): Promise<void> {
    return this.spare;
  }

  /** Stops a branch's compute after archiving all of its WAL, so its whole history stays restorable. */
  async stopCompute(branch: BranchRecord, opts: { archive?: boolean } = {}): Promise<void> {
    if (branch.endpoint) await this.poolers.stop(branch.endpoint.id);
    const cluster = this.clusters.get(branch.id);
    if (!cluster) return;
    if (opts.archive !== false) {
      const { before, at } = await archiveNow(cluster, this.layout.archive);
      branch.stopped = { lsn: before, at: at.toISOString() };
    }
    await cluster.stop(opts.archive === false ? "immediate" : "fast");
    this.clusters.delete(branch.id);
  }

  /** Starts a branch's compute on its endpoint's port (another one if that is taken). */
  async startCompute(branch: BranchRecord): Promise<LocalCluster> {
    if (!branch.dataDir) throw new Error(`branch ${branch.id} has no data`);
    const cluster = await startCompute(absPath(this.layout, branch.dataDir), this.access, branch.endpoint?.port);
    this.clusters.set(branch.id, cluster);
    if (branch.endpoint) branch.endpoint.port = cluster.port;
    delete branch.stopped;
    return cluster;
  }
}
