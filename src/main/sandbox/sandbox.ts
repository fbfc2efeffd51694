import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import { acquireFileLock, type FileLock } from "../journal/file-lock.ts";
import { rememberSecret } from "../secrets/redact.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { findServerBinDir, LocalCluster } from "../postgres/local-cluster.ts";
import { serverBinaryVersion } from "../postgres/server-binaries.ts";
import { startApiServer, type ApiRequestLog, type ApiServer } from "./api-server.ts";
import { assertBaseBackupTool, takeBaseBackup } from "./base-backup.ts";
import type { ComputeAccess } from "./compute-start.ts";
import { stageIncident, type IncidentOptions } from "./incidents.ts";
import { newDatabaseId, newEndpointId, newBranchId, newProjectId } from "./neon-ids.ts";
import { OperationQueue } from "./operation-queue.ts";
import { defaultSandboxDir, prepareLayout, relPath, type SandboxLayout } from "./sandbox-layout.ts";
import { SandboxProject } from "./sandbox-project.ts";
import { clearSandbox, killComputes, LOCK_FILE } from "./sandbox-reset.ts";
import { loadState, type IncidentKind, type IncidentRecord, type SandboxState } from "./sandbox-state.ts";
import { seedClinicalDatabase } from "./seed.ts";
import { parseLsn } from "./lsn.ts";
import { chooseBaseBackup, lineageOf } from "./timeline-history.ts";
import { computeSettings } from "./wal-archive.ts";

export interface SandboxOptions {
  /** The sandbox folder; default: the OS data folder's lifeboat/sandbox (/var/tmp/lifeboat-sandbox as root). */
  dir?: string;
  /** Delete the folder's sandbox first. */
  reset?: boolean;
  /** Size of the clinical sample (fresh sandboxes only); 1 = 150 patients, 423 notes. */
  scale?: number;
  seed?: number;
  /** The API key clients must send; default: a new random one. */
  apiKey?: string;
  /** The API port; default: the one used last time if free, else any free port. */
  port?: number;
  /** The project's history retention (fresh sandboxes only); default 86400 (1 day). */
  historyRetentionSeconds?: number;
  /** Hold each operation "running" at least this long (watch 423 and polling happen). */
  operationDelayMs?: number;
  /** PostgreSQL server binaries (fresh sandboxes only): initdb, pg_ctl, postgres and pg_basebackup. */
  binDir?: string;
  /** Trade crash safety for speed (fsync off): for tests. */
  fast?: boolean;
  projectName?: string;
  say?: (line: string) => void;
  onRequest?: (log: ApiRequestLog) => void;
  /** Told about every point-in-time recovery and where its time went. */
  onRecovery?: SandboxProject["onRecovery"];
}

export interface Sandbox {
  readonly apiUrl: string;
  readonly apiKey: string;
  readonly projectId: string;
  readonly defaultBranchId: string;
  readonly dir: string;
  readonly database: string;
  readonly role: string;
  readonly pgVersion: number;
  /** True when an existing sandbox folder was resumed. */
  readonly resumed: boolean;
  /** The direct connection URI of a branch's compute (default branch when omitted); null without a compute. */
  connectionUri(branchId?: string): string | null;
  /** The application role's connection to a branch's running compute, or null. */
  connInfo(branchId?: string): ConnInfo | null;
  /** Stages an incident on the default branch now (or at `at`), and records its last good second. */
  stageIncident(kind: IncidentKind, at?: Date, opts?: Omit<IncidentOptions, "at">): Promise<IncidentRecord>;
  incidents(): IncidentRecord[];
  /** From now on each operation stays "running" at least this long (0 = as fast as the work). */
  setOperationDelay(ms: number): void;
  /** The restorable span of a branch's history (default branch when omitted). */
  historyWindow(branchId?: string): Promise<{ earliest: Date; now: Date }>;
  /** Stops the API and every compute (their WAL archived first); the folder keeps the sandbox for next time. */
  stop(): Promise<void>;
}

const SUPERUSER = "cloud_admin";

function accessFor(state: SandboxState, layout: SandboxLayout): ComputeAccess {
  return { binDir: state.binDir, superuser: state.superuser, settings: computeSettings(layout.archive, state.fast) };
}

async function lockFolder(root: string): Promise<FileLock> {
  try {
    return await acquireFileLock(join(root, LOCK_FILE), 200);
  } catch (e) {
    if (isLifeboatError(e) && e.code === "JOURNAL_LOCKED") {
      throw new LifeboatError("USAGE", `the sandbox in ${root} is in use by another Lifeboat process`, "Stop that `lifeboat sandbox` (Ctrl-C), or start another sandbox with --dir.");
    }
    throw e;
  }
}

async function createFresh(layout: SandboxLayout, opts: SandboxOptions, say: (l: string) => void): Promise<{ state: SandboxState; main: LocalCluster }> {
  // Leftovers of a creation that never finished (no state file was written) are the sandbox's own; clear them.
  await killComputes(layout.root);
  for (const d of [layout.archive, layout.baseBackups, layout.pgdata]) for (const n of await readdir(d)) await rm(join(d, n), { recursive: true, force: true });

  const binDir = resolve(opts.binDir ?? (await findServerBinDir()));
  assertBaseBackupTool(binDir);
  const { major } = await serverBinaryVersion(binDir);
  const fast = !!opts.fast;
  const superuser = { name: SUPERUSER, password: randomBytes(18).toString("base64url") };
  const role = { name: "neondb_owner", password: `npg_${randomBytes(12).toString("base64url")}` };
  const dataDir = join(layout.pgdata, `main-${randomBytes(3).toString("hex")}`);
  const { archive_mode: _a, archive_command: _c, ...initial } = computeSettings(layout.archive, fast);

  say(`Creating the default branch's compute (PostgreSQL ${major})…`);
  let main = await LocalCluster.create({ dataDir, binDir, user: superuser.name, password: superuser.password, settings: initial, walSegmentSizeMb: 1, keepDataDir: true });
  try {
    say(`Seeding the clinical sample database "neondb" (scale ${opts.scale ?? 1})…`);
    const { rows } = await seedClinicalDatabase(main, { database: "neondb", role: role.name, password: role.password, scale: opts.scale ?? 1, ...(opts.seed !== undefined ? { seed: opts.seed } : {}) });
    say(`  ${Object.entries(rows).map(([t, n]) => `${n} ${t}`).join(", ")}`);
    // The seed's WAL is not history anyone restores to; archiving starts with the first base backup.
    await main.stop();
    const state: SandboxState = {
      version: 1,
      project: { id: newProjectId(), name: opts.projectName ?? "Dr Amal Clinical OS (Lifeboat sandbox)", createdAt: new Date().toISOString(), historyRetentionSeconds: opts.historyRetentionSeconds ?? 86_400, pgVersion: major },
      binDir,
      fast,
      superuser,
      role,
      database: { name: "neondb", id: newDatabaseId(), createdAt: new Date().toISOString() },
      baseBackups: [],
      branches: [],
      operations: [],
      incidents: [],
    };
    main = await LocalCluster.adopt(dataDir, binDir, { port: main.port, user: superuser.name, password: superuser.password, settings: accessFor(state, layout).settings });
    await main.start();
    say("Taking the first base backup (WAL archiving is on from here)…");
    state.baseBackups.push(await takeBaseBackup(layout, main, fast));
    const now = new Date().toISOString();
    state.branches.push({
      id: newBranchId(),
      name: "main",
      default: true,
      protected: false,
      currentState: "ready",
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
      dataDir: relPath(layout, dataDir),
      tli: 1,
      endpoint: { id: newEndpointId(), port: main.port, state: "active", createdAt: now, updatedAt: now, startedAt: now },
    });
    return { state, main };
  } catch (e) {
    await main.stop("immediate").catch(() => {});
    throw e;
  }
}

const REPLAY_LIMIT = 64n * 1024n * 1024n;

/**
 * Every recovery replays the WAL written since the newest base backup on the branch's lineage; a sandbox used for days
 * would replay more and more. On resume, a fresh base backup of the default branch keeps that short.
 */
async function refreshBaseBackup(project: SandboxProject, say: (l: string) => void): Promise<void> {
  const main = project.defaultBranch();
  const cluster = project.clusters.get(main.id);
  if (!cluster) return;
  const newest = chooseBaseBackup(project.state.baseBackups, await lineageOf(project.layout.archive, main.tli ?? 1), { kind: "end" });
  const head = await project.headLsn(main);
  if (newest && head && (parseLsn(head) ?? 0n) - (parseLsn(newest.startLsn) ?? 0n) < REPLAY_LIMIT) return;
  say("Taking a fresh base backup of the default branch (keeps recoveries short)…");
  project.state.baseBackups.push(await takeBaseBackup(project.layout, cluster, project.state.fast));
  await project.save();
}

async function resume(state: SandboxState, layout: SandboxLayout, project: SandboxProject, say: (l: string) => void): Promise<void> {
  if (!existsSync(join(state.binDir, "postgres"))) {
    state.binDir = await findServerBinDir({ major: state.project.pgVersion });
    assertBaseBackupTool(state.binDir);
  }
  OperationQueue.failInterrupted(state.operations);
  // A branch whose creation was cut short never got its data: it is dropped, and its name is free again.
  state.branches = state.branches.filter((b) => b.dataDir);
  for (const b of state.branches) {
    if (!b.endpoint || b.endpoint.lost || !b.dataDir) continue;
    say(`Starting the compute of branch ${b.name}…`);
    await project.startCompute(b);
    Object.assign(b.endpoint, { state: "active", updatedAt: new Date().toISOString(), startedAt: new Date().toISOString() });
    delete b.endpoint.pendingState;
    if (b.currentState !== "ready") Object.assign(b, { currentState: "ready", stateChangedAt: new Date().toISOString() });
    delete b.pendingState;
  }
}

/** Deletes the sandbox in `dir` (default folder when omitted), refusing while another process serves it. */
export async function resetSandbox(dir = defaultSandboxDir()): Promise<void> {
  const root = resolve(dir);
  if (!existsSync(root)) return;
  const lock = await lockFolder(root);
  try {
    await clearSandbox(root);
  } finally {
    lock.release();
  }
  await rm(root, { recursive: true, force: true });
}

/**
 * Starts the local Neon sandbox: a Neon API (the subset Lifeboat uses) on 127.0.0.1, backed by real PostgreSQL with
 * WAL archiving, base backups and point-in-time recovery. A fresh folder gets a project whose default branch "main"
 * holds the clinical sample database; an existing one is resumed as it was left.
 */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const say = opts.say ?? (() => {});
  const dir = resolve(opts.dir ?? defaultSandboxDir());
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The lock comes first: a --reset must not pull the folder from under a sandbox that is serving from it.
  const lock = await lockFolder(dir);
  const clusters: LocalCluster[] = [];
  let project: SandboxProject | undefined;
  try {
    if (opts.reset) await clearSandbox(dir);
    const layout = await prepareLayout(dir);
    let state = await loadState(dir);
    const resumed = state !== null;
    if (state) {
      project = new SandboxProject(state, layout, accessFor(state, layout));
      await resume(state, layout, project, say);
      await refreshBaseBackup(project, say);
    } else {
      const fresh = await createFresh(layout, opts, say);
      state = fresh.state;
      clusters.push(fresh.main);
      project = new SandboxProject(state, layout, accessFor(state, layout));
      project.clusters.set(project.defaultBranch().id, fresh.main);
    }
    for (const c of project.clusters.values()) if (!clusters.includes(c)) clusters.push(c);
    project.queue.delayMs = opts.operationDelayMs ?? 0;
    project.onRecovery = opts.onRecovery;
    const apiKey = opts.apiKey ?? `lbsb_${randomBytes(24).toString("base64url")}`;
    // The sandbox's database passwords never belong in Lifeboat's output, journal or logs.
    rememberSecret(state.superuser.password);
    rememberSecret(state.role.password);
    const api: ApiServer = await startApiServer(project, {
      apiKey,
      ...(opts.port !== undefined ? { port: opts.port } : state.apiPort !== undefined ? { port: state.apiPort, portIsPreference: true } : {}),
      ...(opts.onRequest ? { onRequest: opts.onRequest } : {}),
    }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE") throw new LifeboatError("USAGE", `port ${opts.port} on 127.0.0.1 is in use`, "Choose another --port, or leave it out to take any free port.");
      throw e;
    });
    state.apiPort = api.port;
    await project.save();
    project.refreshSpare();
    return sandboxHandle(project, api, apiKey, resumed, lock);
  } catch (e) {
    for (const c of new Set([...clusters, ...(project?.clusters.values() ?? [])])) await c.stop().catch(() => {});
    lock.release();
    throw e;
  }
}

function sandboxHandle(project: SandboxProject, api: ApiServer, apiKey: string, resumed: boolean, lock: FileLock): Sandbox {
  const s = project.state;
  const branchOf = (id?: string) => (id ? project.requireBranch(id) : project.defaultBranch());
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: api.url,
    apiKey,
    projectId: s.project.id,
    get defaultBranchId() {
      return project.defaultBranch().id;
    },
    dir: project.layout.root,
    database: s.database.name,
    role: s.role.name,
    pgVersion: s.project.pgVersion,
    resumed,
    connectionUri: (id) => project.connectionUri(branchOf(id)),
    connInfo: (id) => project.roleConn(branchOf(id)),
    stageIncident: (kind, at, o) => stageIncident(project, kind, { ...o, ...(at ? { at } : {}) }),
    incidents: () => [...s.incidents],
    setOperationDelay: (ms) => {
      project.queue.delayMs = Math.max(0, ms);
    },
    historyWindow: async (id) => {
      const w = await project.historyWindow(branchOf(id));
      return { earliest: w.earliest, now: w.now };
    },
    stop: () =>
      (stopping ??= (async () => {
        await api.close();
        project.queue.cutDelays();
        await project.queue.idle().catch(() => {});
        await project.spareSettled();
        try {
          await project.mutex.run(async () => {
            for (const b of s.branches) await project.stopCompute(b).catch(() => project.stopCompute(b, { archive: false }).catch(() => {}));
          });
          await project.save();
        } finally {
          lock.release();
        }
      })()),
  };
}
