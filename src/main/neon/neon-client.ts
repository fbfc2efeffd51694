// The Neon API as Lifeboat uses it: one project, every call with a per-request timeout, its own X-Request-ID, bounded
// retries on 423/429/503, and every failure mapped by neon-errors.ts. The API key lives only inside the axios instance.
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
import type { EngineContext } from "../engine/engine-context.ts";
import {
  gaveUpError,
  neonError,
  operationFailedError,
  operationTimeoutError,
  type NeonCallInfo,
} from "./neon-errors.ts";
import { retryPolicy, withRetry, type RetryPolicy } from "./neon-retry.ts";

export type { Branch, Endpoint, Operation, Project, Snapshot } from "@neondatabase/api-client";

export const DEFAULT_NEON_API = "https://console.neon.tech/api/v2";

export interface NeonClientOptions {
  /** Per request (default 30 s). */
  requestTimeoutMs?: number;
  /** Total wait across retries of one call on 423/429/503 (default 120 s). */
  maxRetryWaitMs?: number;
  /** How long to wait for Neon's operations to finish (default 10 min). */
  operationTimeoutMs?: number;
  /** First poll delay for operations (default 500 ms). */
  pollIntervalMs?: number;
  /** Progress notes for a terminal ("waiting for create_branch…"); never carries secrets. */
  onNote?: (text: string) => void;
  /** Test seams. */
  retry?: Partial<RetryPolicy>;
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

const DONE = new Set(["finished", "skipped"]);
const FAILED = new Set(["failed", "error", "cancelled"]);

export class NeonProject {
  readonly projectId: string;
  readonly host: string;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly api: Api<unknown>,
    readonly config: NeonConfig,
    private readonly opts: NeonClientOptions = {},
    private readonly signal?: AbortSignal,
  ) {
    this.projectId = config.projectId;
    this.host = config.apiHost ?? DEFAULT_NEON_API;
    this.timeoutMs = opts.requestTimeoutMs ?? 30_000;
    this.policy = retryPolicy({
      ...(opts.maxRetryWaitMs !== undefined ? { maxWaitMs: opts.maxRetryWaitMs } : {}),
      ...(signal ? { signal } : {}),
      onRetry: (i) =>
        opts.onNote?.(`Neon answered ${i.status} (${i.message}); retrying in ${(i.delayMs / 1000).toFixed(1)} s`),
      ...opts.retry,
    });
  }

  private info(action: string, requestId: string, subject?: string): NeonCallInfo {
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

  /** One API call with retries and error mapping. `subject` names what a 404 means (default: the project). */
  async call<T>(action: string, fn: Call<T>, subject?: string): Promise<T> {
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
        (f, waited) => gaveUpError(f, this.info(action, requestId, subject), waited),
      );
      return res.data;
    } catch (e) {
      throw neonError(e, this.info(action, requestId, subject));
    }
  }

  async project(): Promise<Project> {
    return (await this.call("read the project", (p) => this.api.getProject(this.projectId, p))).project;
  }

  /** Every branch, following the cursor when Neon paginates. */
  async branches(): Promise<Branch[]> {
    const out: Branch[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1000; page++) {
      const c = cursor;
      const r = await this.call("list branches", (p) =>
        this.api.listProjectBranches(
          {
            projectId: this.projectId,
            ...(c ? { cursor: c, limit: 1000, sort_by: "created_at", sort_order: "asc" } : {}),
          },
          p,
        ),
      );
      out.push(...r.branches);
      const next = r.pagination?.next;
      if (!next || next === cursor || r.branches.length === 0) break;
      cursor = next;
    }
    return out;
  }

  async branchEndpoints(branch: Branch): Promise<Endpoint[]> {
    return (
      await this.call(
        `list the computes of branch ${branch.name}`,
        (p) => this.api.listProjectBranchEndpoints(this.projectId, branch.id, p),
        `branch "${branch.name}"`,
      )
    ).endpoints;
  }

  /** Every compute of the project: one call instead of one per branch. */
  async endpoints(): Promise<Endpoint[]> {
    return (await this.call("list computes", (p) => this.api.listProjectEndpoints(this.projectId, p))).endpoints;
  }

  async createBranch(
    body: BranchCreateRequest,
  ): Promise<{ branch: Branch; endpoints: Endpoint[]; operations: Operation[] }> {
    const r = await this.call(`create branch ${body.branch?.name ?? ""}`.trim(), (p) =>
      this.api.createProjectBranch(this.projectId, body, p),
    );
    return { branch: r.branch, endpoints: r.endpoints ?? [], operations: r.operations ?? [] };
  }

  async restoreBranch(
    branch: Branch,
    body: BranchRestoreRequest,
  ): Promise<{ branch: Branch; operations: Operation[] }> {
    const r = await this.call(
      `restore branch ${branch.name} in place`,
      (p) => this.api.restoreProjectBranch(this.projectId, branch.id, body, p),
      `branch "${branch.name}"`,
    );
    return { branch: r.branch, operations: r.operations ?? [] };
  }

  async deleteBranch(branch: Branch): Promise<Operation[]> {
    const r = await this.call(
      `delete branch ${branch.name}`,
      (p) => this.api.deleteProjectBranch({ projectId: this.projectId, branchId: branch.id }, p),
      `branch "${branch.name}"`,
    );
    return r.operations ?? [];
  }
  /** The branch's snapshot schedule (Neon's own scheduled snapshots; the endpoint is in beta). */
  async snapshotSchedule(branch: Branch): Promise<BackupScheduleItem[]> {
    const r = await this.call(
      `read the snapshot schedule of branch ${branch.name}`,
      (p) => this.api.getSnapshotSchedule(this.projectId, branch.id, p),
      `the snapshot schedule of branch "${branch.name}"`,
    );
    return r.schedule ?? [];
  }

  async createSnapshot(branch: Branch, name: string): Promise<{ snapshot: Snapshot; operations: Operation[] }> {
    const r = await this.call(
      `snapshot branch ${branch.name}`,
      (p) => this.api.createSnapshot({ projectId: this.projectId, branchId: branch.id, name }, p),
      `branch "${branch.name}"`,
    );
    return { snapshot: r.snapshot, operations: r.operations ?? [] };
  }

  /** The direct (unpooled) URI: recovery work needs session state and snapshots, which PgBouncer breaks. */
  async connectionUri(branch: Branch, endpointId?: string): Promise<string> {
    const r = await this.call(
      `get the connection URI of branch ${branch.name}`,
      (p) =>
        this.api.getConnectionUri(
          {
            projectId: this.projectId,
            branch_id: branch.id,
            ...(endpointId ? { endpoint_id: endpointId } : {}),
            database_name: this.config.database,
            role_name: this.config.role,
            pooled: false,
          },
          p,
        ),
      `database "${this.config.database}" / role "${this.config.role}" on branch "${branch.name}"`,
    );
    return r.uri;
  }

  /** Polls until every operation has finished; a failed one becomes NEON_OPERATION_FAILED with Neon's message. */
  async waitForOperations(ops: Operation[], action: string): Promise<Operation[]> {
    const limit = this.opts.operationTimeoutMs ?? 600_000;
    const start = this.policy.now();
    let pending = ops.filter((o) => !DONE.has(o.status));
    const done = ops.filter((o) => DONE.has(o.status));
    let delay = this.opts.pollIntervalMs ?? 500;
    let lastNote = "";
    while (pending.length) {
      for (const o of pending) if (FAILED.has(o.status)) throw operationFailedError(o, this.info(action, "-"));
      const waited = this.policy.now() - start;
      if (waited >= limit) throw operationTimeoutError(pending, waited, this.info(action, "-"));
      const note = `waiting for Neon: ${pending.map((o) => `${o.action} ${o.status}`).join(", ")}`;
      // Said once per change, not once per poll.
      if (note !== lastNote) this.opts.onNote?.(note);
      lastNote = note;
      await this.policy.sleep(Math.min(delay, limit - waited), this.signal);
      delay = Math.min(5_000, delay * 1.5);
      const fresh = await Promise.all(
        pending.map(
          async (o) =>
            (
              await this.call(
                `check operation ${o.action}`,
                (p) => this.api.getProjectOperation(this.projectId, o.id, p),
                `operation ${o.id}`,
              )
            ).operation,
        ),
      );
      done.push(...fresh.filter((o) => DONE.has(o.status)));
      pending = fresh.filter((o) => !DONE.has(o.status));
    }
    return done;
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
