// Which failures a scheduled run tries again, and when. A failure that can heal by itself (a network blip, a store or
// database that is briefly away, a full disk someone may clear) is retried with doubling waits, but no try starts
// after the run's window closes. A failure that cannot heal (a wrong config, a missing tool or secret, a backup that
// does not restore) is not retried: waiting would only delay the alert.
import { ERROR_CODES, isLifeboatError } from "../../shared/errors.ts";
import type { RetryPolicy } from "../../shared/schedule/schedule-config.ts";

export function isRetryable(e: unknown): boolean {
  if (!isLifeboatError(e)) return true;
  const cls = ERROR_CODES[e.code];
  return cls === "CONNECTION" || (cls === "INTERNAL" && e.code !== "JOURNAL_LOCKED");
}

/** The wait before try number `attempt + 1` (attempt counts from 1). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMinutes * 60_000 * 2 ** (attempt - 1);
}

/** How long after its start a run may still begin a try: the policy's window, never more than the job's interval. */
export function windowMs(policy: RetryPolicy, cadenceMs: number): number {
  return Math.min(policy.windowMinutes * 60_000, cadenceMs);
}
