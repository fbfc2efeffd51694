// Bounded retries for the Neon API. What may be repeated comes from neon-http-failure.ts (Neon's own rules); here is
// only how: exponential backoff with jitter, Retry-After honoured, and a total wait that is never exceeded.
import { httpFailure, retryAfterMs, transientKind, type HttpFailure } from "./neon-http-failure.ts";

export interface RetryInfo {
  /** HTTP status, or 0 when no answer arrived. */
  status: number;
  attempt: number;
  delayMs: number;
  waitedMs: number;
  /** Neon's message, or what happened on the wire ("the connection was reset"). */
  message: string;
}

export interface RetryPolicy {
  /** Total time spent on one call, across its attempts, before giving up (default 120 s). */
  maxWaitMs: number;
  /** First backoff delay (default 500 ms), doubled each attempt up to maxDelayMs (default 10 s). */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  signal?: AbortSignal;
  /** Told before each wait, e.g. to show "Neon answered 503; retrying in 2.0 s". */
  onRetry?: (info: RetryInfo) => void;
}

export const DEFAULT_MAX_RETRY_WAIT_MS = 120_000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export function retryPolicy(p: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxWaitMs: DEFAULT_MAX_RETRY_WAIT_MS,
    baseDelayMs: 500,
    maxDelayMs: 10_000,
    sleep,
    now: () => Date.now(),
    ...p,
  };
}

/** Exponential, with jitter so several Lifeboat runs (or a colleague's) do not retry in lockstep. */
export function backoffMs(p: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">, attempt: number): number {
  const d = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt);
  return Math.round(d * (0.5 + Math.random() * 0.5));
}

/** Thrown when a retryable failure outlasted the policy's total wait; `last` is the final failure. */
export class RetriesExhausted extends Error {
  constructor(
    readonly last: unknown,
    readonly failure: HttpFailure | undefined,
    readonly waitedMs: number,
    readonly attempts: number,
  ) {
    super("retries exhausted");
  }
}

/**
 * Runs `attempt` until it succeeds or fails with something that must not be repeated (rethrown as is; for a change
 * whose answer was lost that is the caller's cue to reconcile). A retryable failure that persists past the total
 * wait becomes RetriesExhausted.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  p: RetryPolicy,
  idempotent: boolean,
  describe: (e: unknown) => string,
): Promise<T> {
  const start = p.now();
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      if (transientKind(e, idempotent) !== "retry") throw e;
      const f = httpFailure(e);
      const waited = p.now() - start;
      const left = p.maxWaitMs - waited;
      if (left <= 0) throw new RetriesExhausted(e, f, waited, n + 1);
      // A floor, so "Retry-After: 0" cannot turn into a tight loop against the API.
      const wanted = (f ? retryAfterMs(f) : undefined) ?? backoffMs(p, n);
      const delay = Math.min(left, Math.max(100, wanted));
      const message = f ? f.message : describe(e);
      p.onRetry?.({ status: f?.status ?? 0, attempt: n + 1, delayMs: delay, waitedMs: waited, message });
      await p.sleep(delay, p.signal);
    }
  }
}
