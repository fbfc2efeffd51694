// What every route of the sandbox's Neon API shares: body validation in Neon's error shape, the project's operation
// lock (423 while another request's operations run), and the check of a requested point against a branch's history.
import type { z } from "zod";
import type { Plan } from "./branch-actions.ts";
import type { ActiveFault } from "./faults.ts";
import { assertInWindow, parseTargetTime } from "./history-window.ts";
import { compareLsn, formatLsn, parseLsn } from "./lsn.ts";
import { badRequest, NeonApiError } from "./neon-error.ts";
import { operationView } from "./neon-views.ts";
import type { PointInHistory, SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord } from "./sandbox-state.ts";

export interface RouteContext {
  project: SandboxProject;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** An injected fault for the operations this request starts. */
  operationFault?: ActiveFault;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success)
    throw badRequest(
      `invalid request body: ${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
    );
  return r.data;
}

export function nameTaken(p: SandboxProject, name: string): boolean {
  return p.state.branches.some((b) => b.name === name);
}

/** Neon's 409 for a name in use (its words: "branch already exists"). */
export function branchExists(name: string): NeonApiError {
  return new NeonApiError(409, `branch already exists; branch_name:${JSON.stringify(name)}`, "BRANCH_ALREADY_EXISTS");
}

export function assertReady(b: BranchRecord, role: string): void {
  if (!b.dataDir || b.currentState !== "ready")
    throw new NeonApiError(409, `${role} branch ${b.id} is not ready (state ${b.currentState})`);
}

/** Checks a requested point against the source's history (window, future, WAL range) and returns it. */
export async function pointIn(
  p: SandboxProject,
  source: BranchRecord,
  time: string | undefined,
  lsn: string | undefined,
  prefix: "parent" | "source",
): Promise<PointInHistory> {
  if (time !== undefined && lsn !== undefined)
    throw badRequest(`${prefix}_timestamp and ${prefix}_lsn cannot both be specified`);
  if (time !== undefined) {
    const t = parseTargetTime(time, `${prefix}_timestamp`);
    const w = await p.historyWindow(source);
    assertInWindow(t, w, `${prefix}_timestamp`, w.capped);
    return { kind: "time", time: t };
  }
  if (lsn !== undefined) {
    const value = parseLsn(lsn);
    if (value === null) throw badRequest(`${prefix}_lsn must be an LSN such as 0/1DE2850, got ${JSON.stringify(lsn)}`);
    const norm = formatLsn(value);
    const w = await p.historyWindow(source);
    const head = await p.headLsn(source);
    if (compareLsn(norm, w.earliestLsn) < 0)
      throw badRequest(
        `${prefix}_lsn ${norm} is outside the project's history retention window: the earliest LSN that can be restored is ${w.earliestLsn}`,
      );
    if (head && compareLsn(norm, head) > 0)
      throw badRequest(`${prefix}_lsn ${norm} is ahead of the branch's latest LSN ${head}`);
    return { kind: "lsn", lsn: norm };
  }
  return { kind: "head" };
}

/** Runs a mutating request under the project's operation lock (423 while another request's operations run). */
export async function mutate(
  p: SandboxProject,
  fn: (release: () => void) => Promise<RouteResult>,
): Promise<RouteResult> {
  const claim = p.queue.reserve();
  try {
    return await fn(claim.release);
  } finally {
    claim.release();
  }
}

/** Starts a plan's operations (with the request's injected fault, if any), saves, and returns them as Neon shows them. */
export async function startPlan(
  p: SandboxProject,
  release: () => void,
  plan: Plan,
  fault: ActiveFault | undefined,
): Promise<Record<string, unknown>[]> {
  const operations = p.queue.start(plan.steps, release, { onFailure: plan.onFailure, ...(fault ? { fault } : {}) });
  await p.save();
  return operations.map(operationView);
}

export const sync =
  (fn: (ctx: RouteContext) => RouteResult) =>
  async (ctx: RouteContext): Promise<RouteResult> =>
    fn(ctx);
