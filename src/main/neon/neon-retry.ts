// Neon answers 423 while another operation holds the project, 429 when rate-limited and 503 when overloaded. All
// three mean "not now" and nothing was done, so the call is repeated with backoff, within a bounded total wait.
import { httpFailure, retryAfterMs, RETRYABLE_STATUS, type HttpFailure } from "./neon-errors.ts";

export interface RetryPolicy {
  /** Total time spent waiting between attempts before giving up (default 120 s). */
  maxWaitMs: number;
  /** First backoff delay (default 500 ms), doubled each attempt up to maxDelayMs (default 10 s). */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  signal?: AbortSignal;
  /** Told before each wait, e.g. to show "Neon: conflicting operation, retrying in 2 s". */
  onRetry?: (info: { status: number; attempt: number; delayMs: number; waitedMs: number; message: string }) => void;
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

function backoff(p: RetryPolicy, attempt: number): number {
  const d = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt);
  // Jitter keeps several Lifeboat runs (or a colleague's) from retrying in lockstep.
  return Math.round(d * (0.8 + Math.random() * 0.4));
}

/**
 * Runs `attempt` until it succeeds, fails with something not retryable (rethrown as is), or a retryable status
 * persists past the policy's total wait: then `giveUp(lastFailure, waitedMs)` is thrown.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  p: RetryPolicy,
  giveUp: (f: HttpFailure, waitedMs: number) => Error,
): Promise<T> {
  const start = p.now();
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (e) {
      const f = httpFailure(e);
      if (!f || !RETRYABLE_STATUS.has(f.status)) throw e;
      const waited = p.now() - start;
      const left = p.maxWaitMs - waited;
      if (left <= 0) throw giveUp(f, waited);
      // A floor, so "Retry-After: 0" cannot turn into a tight loop against the API.
      const delay = Math.min(left, Math.max(100, retryAfterMs(f, Date.now()) ?? backoff(p, n)));
      p.onRetry?.({ status: f.status, attempt: n + 1, delayMs: delay, waitedMs: waited, message: f.message });
      await p.sleep(delay, p.signal);
    }
  }
}
