// Waiting for Neon's operations (create_timeline, start_compute, ...). The spec's OperationStatus: scheduling,
// running, finished, failed, error, cancelling, cancelled, skipped; an operation also counts its failures
// (failures_count) and when it was last retried (retry_at). Read that way, "error" is an attempt that failed while
// Neon keeps retrying the operation, so Lifeboat keeps waiting; only "failed" and "cancelled" are final failures.
// A poll that cannot get an answer does not make the operation failed: its outcome is unknown, and is said so.
import { LifeboatError } from "../../shared/errors.ts";
import type { Operation } from "@neondatabase/api-client";
import {
  operationFailedError,
  operationTimeoutError,
  secs,
  type NeonCallInfo,
  type OperationLike,
} from "./neon-errors.ts";
import type { RetryPolicy } from "./neon-retry.ts";

const DONE = new Set(["finished", "skipped"]);
const FAILED = new Set(["failed", "cancelled"]);

export interface OperationWait {
  /** Overrides the client's operation timeout for this wait. */
  timeoutMs?: number;
}

export interface OperationPoller {
  poll: (op: Operation) => Promise<Operation>;
  policy: Pick<RetryPolicy, "now" | "sleep">;
  info: (action: string) => NeonCallInfo;
  timeoutMs: number;
  pollIntervalMs: number;
  onNote?: (text: string) => void;
  signal?: AbortSignal;
}

function describe(o: OperationLike): string {
  if (o.status !== "error") return `${o.action} ${o.status}`;
  const retried = o.retry_at ? `, last retried ${o.retry_at}` : "";
  return `${o.action} failed ${o.failures_count ?? 1} time(s)${retried}, Neon is retrying${o.error ? ` (${o.error})` : ""}`;
}

function lostSight(
  e: unknown,
  pending: OperationLike[],
  action: string,
  waitedMs: number,
  c: NeonCallInfo,
): LifeboatError {
  const cause = e instanceof LifeboatError ? e : undefined;
  return new LifeboatError(
    "NEON_OUTCOME_UNKNOWN",
    `Neon accepted "${action}" but Lifeboat lost sight of it after ${secs(waitedMs)}: ${cause?.message ?? String(e)}. Still under way when last seen: ${pending.map((o) => `${o.action} ${o.id} ${o.status}`).join(", ")}`,
    "Its outcome is not known. Check `lifeboat neon branches` and `lifeboat neon status` once Neon answers again, before anything else.",
    {
      host: c.host,
      projectId: c.projectId,
      action: c.action,
      ...(cause?.details ?? {}),
      operations: pending.map((o) => ({ id: o.id, action: o.action, status: o.status })),
      waitedMs,
      ...(cause ? { cause: cause.code } : {}),
    },
    { cause: e },
  );
}

/** Polls until every operation has finished; a failed one becomes NEON_OPERATION_FAILED with Neon's message. */
export async function waitForOperations(
  p: OperationPoller,
  ops: Operation[],
  action: string,
  wait: OperationWait = {},
): Promise<Operation[]> {
  const limit = wait.timeoutMs ?? p.timeoutMs;
  const start = p.policy.now();
  let pending = ops.filter((o) => !DONE.has(o.status));
  const done = ops.filter((o) => DONE.has(o.status));
  let delay = p.pollIntervalMs;
  let lastNote = "";
  while (pending.length) {
    for (const o of pending) if (FAILED.has(o.status)) throw operationFailedError(o, p.info(action));
    const waited = p.policy.now() - start;
    if (waited >= limit) throw operationTimeoutError(pending, waited, p.info(action));
    const note = `waiting for Neon: ${pending.map(describe).join(", ")}`;
    // Said once per change, not once per poll.
    if (note !== lastNote) p.onNote?.(note);
    lastNote = note;
    await p.policy.sleep(Math.min(delay, limit - waited), p.signal);
    delay = Math.min(5_000, delay * 1.5);
    let fresh: Operation[];
    try {
      fresh = await Promise.all(pending.map((o) => p.poll(o)));
    } catch (e) {
      if (p.signal?.aborted) throw e;
      throw lostSight(e, pending, action, p.policy.now() - start, p.info(action));
    }
    done.push(...fresh.filter((o) => DONE.has(o.status)));
    pending = fresh.filter((o) => !DONE.has(o.status));
  }
  return done;
}
