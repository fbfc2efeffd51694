import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import { acquireFileLock, type FileLock } from "../journal/file-lock.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import type { LocalCluster } from "../postgres/local-cluster.ts";
import { rememberSecret } from "../secrets/redact.ts";
import { startApiServer, type ApiRequestLog, type ApiServer } from "./api-server.ts";
import type { FaultInjector } from "./faults.ts";
import type { NeonProxy } from "./proxy/neon-proxy.ts";
import { killStalePoolers } from "./proxy/poolers.ts";
import { startProjectProxy } from "./sandbox-proxy.ts";
import { stageIncident, type IncidentOptions } from "./incidents.ts";
import { accessFor, createFresh } from "./sandbox-create.ts";
import { defaultSandboxDir, prepareLayout } from "./sandbox-layout.ts";
import { SandboxProject } from "./sandbox-project.ts";
import { clearSandbox, LOCK_FILE } from "./sandbox-reset.ts";
import { refreshBaseBackup, resume } from "./sandbox-resume.ts";
import { loadState, type IncidentKind, type IncidentRecord, type SandboxPlan } from "./sandbox-state.ts";

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
  /** The project's history retention (fresh sandboxes only); default: the plan's maximum, at most 7 days. */
  historyRetentionSeconds?: number;
  /** The Neon plan the sandbox plays (fresh sandboxes only): its limits apply. Default launch. */
  plan?: SandboxPlan;
  /** Tests: a cap on history far below the Free plan's 1 GB. */
  historyCapBytes?: number;
  /** Hold each operation "running" at least this long (watch 423 and polling happen). */
  operationDelayMs?: number;
  /** How long a recovery of a stopped branch waits for its last WAL segment to be archived; default 60 s. */
  archiveWaitMs?: number;
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
  /** The connection proxy's port: every compute, direct or pooled, over TLS. */
  readonly proxyPort: number;
  /** The sandbox's TLS certificate (what a client that verifies must trust). */
  readonly certPath: string;
  /** A branch's connection URI through the proxy (default branch when omitted); null without a compute. */
  connectionUri(branchId?: string, o?: { pooled?: boolean }): string | null;
  /** The application role's connection straight to a branch's running compute (no proxy, no TLS), or null. */
  connInfo(branchId?: string): ConnInfo | null;
  /** The application role's connection through the proxy, as a Lifeboat profile holds it; null without a compute. */
  proxyConnInfo(branchId?: string, o?: { pooled?: boolean }): ConnInfo | null;
  /** Stages an incident on the default branch now (or at `at`), and records its last good second. */
  stageIncident(kind: IncidentKind, at?: Date, opts?: Omit<IncidentOptions, "at">): Promise<IncidentRecord>;
  incidents(): IncidentRecord[];
  /** From now on each operation stays "running" at least this long (0 = as fast as the work). */
  setOperationDelay(ms: number): void;
  /** Faults on demand: Neon's error answers, dropped connections, slow answers, failing or stuck operations. */
  readonly faults: FaultInjector;
  /** Ends operations a fault holds stuck (they fail, and what they changed is put back). */
  releaseStuck(): Promise<void>;
  /** The restorable span of a branch's history (default branch when omitted). */
  historyWindow(branchId?: string): Promise<{ earliest: Date; now: Date }>;
  /** Stops the API and every compute (their WAL archived first); the folder keeps the sandbox for next time. */
  stop(): Promise<void>;
}

async function lockFolder(root: string): Promise<FileLock> {
  try {
    return await acquireFileLock(join(root, LOCK_FILE), 200);
  } catch (e) {
    if (isLifeboatError(e) && e.code === "JOURNAL_LOCKED") {
      throw new LifeboatError(
        "USAGE",
        `the sandbox in ${root} is in use by another Lifeboat process`,
        "Stop that `lifeboat sandbox` (Ctrl-C), or start another sandbox with --dir.",
      );
    }
    throw e;
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
    await killStalePoolers(dir);
    const layout = await prepareLayout(dir);
    let state = await loadState(dir);
    const resumed = state !== null;
    if (state) {
      project = new SandboxProject(state, layout, accessFor(state, layout));
      await resume(project, say);
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
    if (opts.archiveWaitMs !== undefined) project.archiveWaitMs = opts.archiveWaitMs;
    project.onRecovery = opts.onRecovery;
    const apiKey = opts.apiKey ?? `lbsb_${randomBytes(24).toString("base64url")}`;
    // The sandbox's database passwords never belong in Lifeboat's output, journal or logs.
    rememberSecret(state.superuser.password);
    rememberSecret(state.role.password);
    const api: ApiServer = await startApiServer(project, {
      apiKey,
      ...(opts.port !== undefined
        ? { port: opts.port }
        : state.apiPort !== undefined
          ? { port: state.apiPort, portIsPreference: true }
          : {}),
      ...(opts.onRequest ? { onRequest: opts.onRequest } : {}),
    }).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        throw new LifeboatError(
          "USAGE",
          `port ${opts.port} on 127.0.0.1 is in use`,
          "Choose another --port, or leave it out to take any free port.",
        );
      throw e;
    });
    state.apiPort = api.port;
    const proxy = await startProjectProxy(project).catch(async (e) => {
      await api.close();
      throw e;
    });
    await project.save();
    project.refreshSpare();
    return sandboxHandle(project, api, proxy, apiKey, resumed, lock);
  } catch (e) {
    for (const c of new Set([...clusters, ...(project?.clusters.values() ?? [])])) await c.stop().catch(() => {});
    lock.release();
    throw e;
  }
}

function sandboxHandle(
  project: SandboxProject,
  api: ApiServer,
  proxy: NeonProxy,
  apiKey: string,
  resumed: boolean,
  lock: FileLock,
): Sandbox {
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
    proxyPort: project.proxyPort,
    certPath: project.certPath,
    connectionUri: (id, o) => project.connectionUri(branchOf(id), o),
    connInfo: (id) => project.roleConn(branchOf(id)),
    proxyConnInfo: (id, o) => {
      const b = branchOf(id);
      if (!b.endpoint) return null;
      return {
        host: "127.0.0.1",
        port: project.proxyPort,
        database: s.database.name,
        user: s.role.name,
        password: project.rolePassword(b),
        sslmode: "require",
        options: `endpoint=${b.endpoint.id}${o?.pooled ? "-pooler" : ""}`,
      };
    },
    stageIncident: (kind, at, o) => stageIncident(project, kind, { ...o, ...(at ? { at } : {}) }),
    incidents: () => [...s.incidents],
    setOperationDelay: (ms) => {
      project.queue.delayMs = Math.max(0, ms);
    },
    faults: project.faults,
    releaseStuck: async () => {
      project.queue.cutDelays();
      await project.queue.idle().catch(() => {});
    },
    historyWindow: async (id) => {
      const w = await project.historyWindow(branchOf(id));
      return { earliest: w.earliest, now: w.now };
    },
    stop: () =>
      (stopping ??= (async () => {
        await api.close();
        await proxy.close();
        project.queue.cutDelays();
        await project.queue.idle().catch(() => {});
        await project.spareSettled();
        try {
          await project.mutex.run(async () => {
            for (const b of s.branches)
              await project.stopCompute(b).catch(() => project.stopCompute(b, { archive: false }).catch(() => {}));
          });
          await project.poolers.stopAll();
          await project.save();
        } finally {
          lock.release();
        }
      })()),
  };
}
