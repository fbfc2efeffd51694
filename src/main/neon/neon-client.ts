// The Neon API as Lifeboat uses it: one project, every call with a per-request timeout and its own X-Request-ID,
// reads retried through blips, changes never repeated after a lost answer (the engine reconciles instead), and every
// failure mapped by neon-errors.ts. The API key lives only inside the axios instance.
import { randomUUID } from "node:crypto";
import {
  createApiClient,
  type Api,
  type BackupScheduleItem,
  type Branch,
  type BranchCreateRequest,
  type BranchRestoreRequest,
  type Endpoint,
  type Operation,
  type Project,
  type Snapshot,
} from "@neondatabase/api-client";
import type { NeonConfig, Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { formatDuration } from "../../shared/format.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { answerLostError, gaveUpError, neonError, type NeonCallInfo } from "./neon-errors.ts";
import { describeFailure, transientKind } from "./neon-http-failure.ts";
import { waitForOperations, type OperationWait } from "./neon-operations.ts";
import { retryPolicy, RetriesExhausted, withRetry, type RetryPolicy } from "./neon-retry.ts";

export type { Branch, Endpoint, Operation, Project, Snapshot } from "@neondatabase/api-client";

export const DEFAULT_NEON_API = "https://console.neon.tech/api/v2";

export interface NeonClientOptions {
  /** Per request (default 30 s). */
  requestTimeoutMs?: number;
  /** Total time one call may take across its retries (default 120 s). */
  maxRetryWaitMs?: number;
  /** How long to wait for Neon's operations to finish (default 10 min). */
  operationTimeoutMs?: number;
  /** First poll delay for operations (default 500 ms). */
  pollIntervalMs?: number;
  /** Progress notes for a terminal ("waiting for create_branch…"); never carries secrets. */
  onNote?: (text: string) => void;
  /** Test seams. */
  retry?: Partial<RetryPolicy>;
  branchPageSize?: number;
}

/** What every Neon engine operation accepts besides its own options. */
export interface NeonRunOptions extends NeonClientOptions {
  /** The clock "now" and relative times are measured against; tests only. */
  now?: () => Date;
}

type Call<T> = (params: {
  headers: Record<string, string>;
  timeout: number;
  signal?: AbortSignal;
}) => Promise<{ data: T }>;

export class NeonProject {
  readonly projectId: string;
  readonly host: string;
  readonly timeoutMs: number;
  readonly policy: RetryPolicy;

  constructor(
    private readonly api: Api<unknown>,
    readonly config: NeonConfig,
    readonly opts: NeonClientOptions = {},
    readonly signal?: AbortSignal,
  ) {
    this.projectId = config.projectId;
    this.host = config.apiHost ?? DEFAULT_NEON_API;
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.policy = retryPolicy({
      ...(opts.maxRetryWaitMs !== undefined ? { maxWaitMs: opts.maxRetryWaitMs } : {}),
      ...(signal ? { signal } : {}),
      onRetry: (i) =>
        opts.onNote?.(
          `${i.status ? `Neon answered ${i.status}` : "Neon did not answer"} (${i.message}); retrying in ${formatDuration(i.delayMs)}`,
        ),
      ...opts.retry,
    });
  }

  info(action: string, requestId: string, subject?: string): NeonCallInfo {
    return {
      action,
      host: this.host,
      projectId: this.projectId,
      requestId,
      keyRef: this.config.apiKey,
      timeoutMs: this.timeoutMs,
      ...(subject ? { subject } : {}),
    };
  }

  private async call<T>(action: string, fn: Call<T>, idempotent: boolean, subject?: string): Promise<T> {
    let requestId = randomUUID();
    try {
      const res = await withRetry(
        () => {
          requestId = randomUUID();
          return fn({
            headers: { "X-Request-ID": requestId },
            timeout: this.timeoutMs,
            ...(this.signal ? { signal: this.signal } : {}),
          });
        },
        this.policy,
        idempotent,
        (e) => describeFailure(e, this.timeoutMs),
      );
      return res.data;
    } catch (e) {
      const info = this.info(action, requestId, subject);
      if (e instanceof RetriesExhausted) throw gaveUpError(e, info);
      if (!idempotent && transientKind(e, false) === "lost") throw answerLostError(e, info);
      throw neonError(e, info);
    }
  }

  /** A read: safe to repeat, so blips (5xx, resets, timeouts) are retried within the policy's bounded wait. */
  read<T>(action: string, fn: Call<T>, subject?: string): Promise<T> {
    return this.call(action, fn, true, subject);
  }

  /** A change: repeated only when Neon said "not now" (423/429/503); a lost answer surfaces as NEON_ANSWER_LOST. */
  write<T>(action: string, fn: Call<T>, subject?: string): Promise<T> {
    return this.call(action, fn, false, subject);
  }

  async project(): Promise<Project> {
    return (await this.read("read the project", (p) => this.api.getProject(this.projectId, p))).project;
  }

  /**
   * Every branch. Neon pages with an opaque cursor that belongs to one ordering, so each next page is asked for with
   * the sort the previous answer reports, and a branch seen twice (moved between pages) is kept once.
   */
  async branches(): Promise<Branch[]> {
    const byId = new Map<string, Branch>();
    const limit = this.opts.branchPageSize ?? 500;
    let sort: { sort_by: "created_at" | "name" | "updated_at"; sort_order: "asc" | "desc" } = {
      sort_by: "created_at",
      sort_order: "asc",
    };
    let cursor: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const c = cursor;
      const s = sort;
      const r = await this.read("list branches", (p) =>
        this.api.listProjectBranches({ projectId: this.projectId, limit, ...s, ...(c ? { cursor: c } : {}) }, p),
      );
      for (const b of r.branches) byId.set(b.id, b);
      const next = r.pagination?.next;
      if (!next || next === cursor || r.branches.length === 0) break;
      const by = r.pagination?.sort_by;
      const order = r.pagination?.sort_order;
      sort = {
        sort_by: by === "name" || by === "updated_at" || by === "created_at" ? by : sort.sort_by,
        sort_order: order === "desc" || order === "asc" ? order : sort.sort_order,
      };
      cursor = next;
    }
    return [...byId.values()];
  }

  /** One branch, or undefined when Neon has no such branch (anymore). */
  async branch(id: string): Promise<Branch | undefined> {
    try {
      return (
        await this.read(`read branch ${id}`, (p) => this.api.getProjectBranch(this.projectId, id, p), `branch "${id}"`)
      ).branch;
    } catch (e) {
      if (e instanceof LifeboatError && e.code === "NEON_NOT_FOUND") return undefined;
      throw e;
    }
  }

  /** The newest operations of the project, newest first, back to `since` (the cursor is followed as given). */
  async operationsSince(since: Date, max = 500): Promise<Operation[]> {
    const out: Operation[] = [];
    let cursor: string | undefined;
    while (out.length < max) {
      const c = cursor;
      const r = await this.read("list operations", (p) =>
        this.api.listProjectOperations({ projectId: this.projectId, limit: 100, ...(c ? { cursor: c } : {}) }, p),
      );
      out.push(...r.operations);
      const older = r.operations.some((o) => Date.parse(o.created_at) < since.getTime());
      const next = r.pagination?.cursor;
      if (older || !next || next === cursor || r.operations.length === 0) break;
      cursor = next;
    }
    return out.filter((o) => Date.parse(o.created_at) >= since.getTime() - 1000);
  }

  async branchEndpoints(branch: Branch): Promise<Endpoint[]> {
    return (
      await this.read(
        `list the computes of branch ${branch.name}`,
        (p) => this.api.listProjectBranchEndpoints(this.projectId, branch.id, p),
        `branch "${branch.name}"`,
      )
    ).endpoints;
  }

  /** Every compute of the project: one call instead of one per branch. */
  async endpoints(): Promise<Endpoint[]> {
    return (await this.read("list computes", (p) => this.api.listProjectEndpoints(this.projectId, p))).endpoints;
  }

  async createBranch(
    body: BranchCreateRequest,
  ): Promise<{ branch: Branch; endpoints: Endpoint[]; operations: Operation[] }> {
    const r = await this.write(`create branch ${body.branch?.name ?? ""}`.trim(), (p) =>
      this.api.createProjectBranch(this.projectId, body, p),
    );
    return { branch: r.branch, endpoints: r.endpoints ?? [], operations: r.operations ?? [] };
  }

  async restoreBranch(
    branch: Branch,
    body: BranchRestoreRequest,
  ): Promise<{ branch: Branch; operations: Operation[] }> {
    const r = await this.write(
      `restore branch ${branch.name} in place`,
      (p) => this.api.restoreProjectBranch(this.projectId, branch.id, body, p),
      `branch "${branch.name}"`,
    );
    return { branch: r.branch, operations: r.operations ?? [] };
  }

  async deleteBranch(branch: Branch): Promise<Operation[]> {
    const r = await this.write(
      `delete branch ${branch.name}`,
      (p) => this.api.deleteProjectBranch({ projectId: this.projectId, branchId: branch.id }, p),
      `branch "${branch.name}"`,
    );
    // Neon answers 204 (no body) for a branch that is already gone.
    return r?.operations ?? [];
  }

  /** The branch's snapshot schedule (Neon's own scheduled snapshots; the endpoint is in beta). */
  async snapshotSchedule(branch: Branch): Promise<BackupScheduleItem[]> {
    const r = await this.read(
      `read the snapshot schedule of branch ${branch.name}`,
      (p) => this.api.getSnapshotSchedule(this.projectId, branch.id, p),
      `the snapshot schedule of branch "${branch.name}"`,
    );
    return r.schedule ?? [];
  }

  async createSnapshot(branch: Branch, name: string): Promise<{ snapshot: Snapshot; operations: Operation[] }> {
    const r = await this.write(
      `snapshot branch ${branch.name}`,
      (p) => this.api.createSnapshot({ projectId: this.projectId, branchId: branch.id, name }, p),
      `branch "${branch.name}"`,
    );
    return { snapshot: r.snapshot, operations: r.operations ?? [] };
  }

  /**
   * The direct (unpooled) URI by default: recovery work needs session state and snapshots, which PgBouncer breaks.
   * The pooled one only for an operator's own tools (the console's copy button).
   */
  async connectionUri(branch: Branch, endpointId?: string, pooled = false): Promise<string> {
    const r = await this.read(
      `get the connection URI of branch ${branch.name}`,
      (p) =>
        this.api.getConnectionUri(
          {
            projectId: this.projectId,
            branch_id: branch.id,
            ...(endpointId ? { endpoint_id: endpointId } : {}),
            database_name: this.config.database,
            role_name: this.config.role,
            pooled,
          },
          p,
        ),
      `database "${this.config.database}" / role "${this.config.role}" on branch "${branch.name}"`,
    );
    return r.uri;
  }

  /** Polls until every operation has finished; see neon-operations.ts for what each status means. */
  waitForOperations(ops: Operation[], action: string, wait: OperationWait = {}): Promise<Operation[]> {
    return waitForOperations(
      {
        poll: (o) =>
          this.read(
            `check operation ${o.action}`,
            (p) => this.api.getProjectOperation(this.projectId, o.id, p),
            `operation ${o.id}`,
          ).then((r) => r.operation),
        policy: this.policy,
        info: (a) => this.info(a, "-"),
        timeoutMs: this.opts.operationTimeoutMs ?? 600_000,
        pollIntervalMs: this.opts.pollIntervalMs ?? 500,
        ...(this.opts.onNote ? { onNote: this.opts.onNote } : {}),
        ...(this.signal ? { signal: this.signal } : {}),
      },
      ops,
      action,
      wait,
    );
  }
}

export function neonConfigOf(profile: Profile): NeonConfig {
  if (!profile.neon) {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `profile "${profile.name}" has no neon section`,
      'Add one to the profile: "neon": {"projectId": "spring-example-302709", "apiKey": "keychain:neon-api-key"} (then `lifeboat secret set neon-api-key`).',
    );
  }
  return profile.neon;
}

/** Resolves the API key and opens the project's client. The key reaches only the Authorization header. */
export async function openNeonProject(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
  opts: NeonClientOptions = {},
): Promise<NeonProject> {
  const config = neonConfigOf(profile);
  const apiKey = await ctx.resolveSecret(config.apiKey);
  const api = createApiClient({
    apiKey,
    baseURL: config.apiHost ?? DEFAULT_NEON_API,
    timeout: opts.requestTimeoutMs ?? 30_000,
    headers: { "User-Agent": "lifeboat" },
  });
  return new NeonProject(api, config, opts, ctx.signal);
}
