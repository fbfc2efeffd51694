// Neon keeps history_retention_seconds of WAL: the only span a branch or an in-place restore can reach back into.
// Checked here, before the API is asked, so a wrong time is explained in the operator's terms, not Neon's.
import { formatDuration } from "../../shared/format.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { neonTimestamp, type RecoveryPoint } from "./recovery-point.ts";

export interface HistoryWindow {
  retentionSeconds: number;
  /** The oldest moment that can be restored: now minus the window, but never before the project existed. */
  earliest: Date;
  /** When the window was computed (the reference for "in the future"). */
  now: Date;
}

export function historyWindow(
  project: { history_retention_seconds?: number; created_at?: string },
  now: Date,
): HistoryWindow {
  const retentionSeconds = Math.max(0, project.history_retention_seconds ?? 0);
  let earliest = now.getTime() - retentionSeconds * 1000;
  const created = project.created_at ? Date.parse(project.created_at) : NaN;
  if (Number.isFinite(created) && created > earliest) earliest = created;
  return { retentionSeconds, earliest: new Date(earliest), now };
}

function shown(point: RecoveryPoint & { kind: "timestamp" }): string {
  return point.relative ? `${neonTimestamp(point.at)} ("${point.input}")` : neonTimestamp(point.at);
}

/** Refuses a timestamp after `now`; needs no API call, so it runs before any. */
export function assertNotInFuture(point: RecoveryPoint, now: Date): void {
  if (point.kind !== "timestamp" || point.at.getTime() <= now.getTime()) return;
  throw new LifeboatError(
    "NEON_OUTSIDE_WINDOW",
    `${shown(point)} is in the future (${formatDuration(point.at.getTime() - now.getTime())} from now, by this machine's clock); there is nothing to recover there yet.`,
    `Pick a time before ${neonTimestamp(now)}. To keep the current state, use \`lifeboat neon snapshot\`.`,
    { requested: neonTimestamp(point.at), now: neonTimestamp(now) },
  );
}

/** Refuses a timestamp in the future or older than the window. LSNs pass: only Neon knows which LSNs it still holds. */
export function assertInWindow(point: RecoveryPoint, w: HistoryWindow): void {
  if (point.kind !== "timestamp") return;
  assertNotInFuture(point, w.now);
  const at = point.at.getTime();
  if (at < w.earliest.getTime()) {
    throw new LifeboatError(
      "NEON_OUTSIDE_WINDOW",
      `${shown(point)} is before the earliest point Neon can restore to, ${neonTimestamp(w.earliest)} (history window ${formatDuration(w.retentionSeconds * 1000)}).`,
      `Pick a time after ${neonTimestamp(w.earliest)}. History older than the window is gone from Neon: restore an off-site backup instead (\`lifeboat backups\`, \`lifeboat restore\`).`,
      {
        requested: neonTimestamp(point.at),
        earliest: neonTimestamp(w.earliest),
        historyRetentionSeconds: w.retentionSeconds,
      },
    );
  }
}
