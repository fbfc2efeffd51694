// Whose data a point in a branch's history holds once the branch has been restored. Neon's restore gives the branch
// a new history that starts at the restore target: between that target and the restore itself the branch holds the
// target's data, not what it held at the time; its own earlier data lives on in the backup branch the restore left.
// "We went back too far" means a second restore, so this is checked before every branch and restore at a time.
// Where the restore came from is read from Lifeboat's journal (its own restores) and from Neon (last_reset_at, a
// backup branch as parent or made at the same moment); what cannot be known is said so.
import type { Branch } from "@neondatabase/api-client";
import type { JournalReader } from "../journal/journal.ts";
import { pointAbsolute } from "./point-journal.ts";
import { neonTimestamp, type RecoveryPoint } from "./recovery-point.ts";

export interface TimelineNote {
  /** The warning to show and journal. */
  warning: string;
  /** What the point holds, in words: "main as of 2026-01-17T14:00:00Z (what the restore at … brought back)". */
  holds: string;
  resetAt: string;
  restoredTo?: string;
  /** The branch that holds the branch's own data from before the restore: the source to use instead. */
  backup?: { id: string; name: string };
}

interface PastRestore {
  at: number;
  to?: string;
  sourceName?: string;
  preservedAs?: string;
}

const NEAR_MS = 5 * 60_000;

/** Lifeboat's own record of the restore that set last_reset_at, if it made it. */
async function journaledRestore(
  history: Pick<JournalReader, "query"> | undefined,
  b: Branch,
  resetAt: number,
): Promise<PastRestore | undefined> {
  if (!history) return undefined;
  const { records } = await history.query({ kind: "neon.restore", outcome: "ok", newest: true, limit: 50 });
  for (const r of records) {
    const d = r.details as Record<string, unknown>;
    if (d.branchId !== b.id && d.branch !== b.name) continue;
    if (Math.abs(Date.parse(r.ts) - resetAt) > NEAR_MS) continue;
    return {
      at: Date.parse(r.ts),
      ...(typeof d.pointAbsolute === "string" ? { to: d.pointAbsolute } : {}),
      ...(typeof d.sourceBranch === "string" ? { sourceName: d.sourceBranch } : {}),
      ...(typeof d.preservedAs === "string" ? { preservedAs: d.preservedAs } : {}),
    };
  }
  return undefined;
}

/** The backup a restore of `b` at `resetAt` left: by name when known, else its parent made then, else a sibling. */
function backupOf(b: Branch, branches: Branch[], resetAt: number, preservedAs?: string): Branch | undefined {
  if (preservedAs) {
    const named = branches.find((x) => x.name === preservedAs);
    if (named) return named;
  }
  const near = (x: Branch) => Math.abs(Date.parse(x.created_at) - resetAt) <= NEAR_MS;
  const parent = b.parent_id ? branches.find((x) => x.id === b.parent_id) : undefined;
  if (parent && near(parent)) return parent;
  return branches.find(
    (x) =>
      x.id !== b.id && near(x) && (x.name.startsWith(`${b.name}_old_`) || x.name.startsWith("backup-before-restore-")),
  );
}

/** A warning when `point` falls before `b`'s last restore; undefined when the point is in b's own history. */
export async function timelineNote(
  b: Branch,
  point: RecoveryPoint,
  branches: Branch[],
  history?: Pick<JournalReader, "query">,
): Promise<TimelineNote | undefined> {
  if (!b.last_reset_at) return undefined;
  const resetAt = Date.parse(b.last_reset_at);
  if (!Number.isFinite(resetAt)) return undefined;
  if (point.kind === "timestamp" && point.at.getTime() >= resetAt) return undefined;
  const past = await journaledRestore(history, b, resetAt).catch(() => undefined);
  const backup = backupOf(b, branches, resetAt, past?.preservedAs);
  // Neon records the target when the backup became the restored branch's parent (a restore of its own history).
  const to = past?.to ?? (backup && b.parent_id === backup.id ? b.parent_timestamp : undefined);
  const from = past?.sourceName && past.sourceName !== b.name ? past.sourceName : undefined;
  // The way out names the absolute point: a relative time typed again would be another moment. A restore to a time
  // goes from a root into a root only (restore-guards.ts), so --to is offered only then.
  const abs = pointAbsolute(point);
  const roots = !b.parent_id && !backup?.parent_id;
  const offer = backup
    ? ` Its data from before the restore is in branch ${backup.name} (${backup.id}): use that as the source instead (recover-to --parent ${backup.name} "${abs}", restore --source-branch ${backup.name}${roots ? ` --to "${abs}"` : ""}).`
    : " Neon shows no backup branch from that restore; its data from before then may be gone.";
  const at = neonTimestamp(new Date(resetAt));
  const shown = point.kind === "timestamp" ? neonTimestamp(point.at) : `LSN ${point.lsn}`;
  if (point.kind === "timestamp" && to && point.at.getTime() > Date.parse(to)) {
    const holds = `${from ?? b.name} as of ${to} (what the restore at ${at} brought back)`;
    return {
      warning: `${b.name} was restored at ${at} to ${from ? `${from} as of ` : ""}${to}, so ${shown} in ${b.name}'s history holds ${holds}, not ${b.name} as of ${shown}.${offer}`,
      holds,
      resetAt: at,
      restoredTo: to,
      ...(backup ? { backup: { id: backup.id, name: backup.name } } : {}),
    };
  }
  // Before the target of a restore of its own history: the branch's own data, as it was then.
  if (point.kind === "timestamp" && to && !from && point.at.getTime() <= Date.parse(to)) return undefined;
  const holds = from ? `${from} as of ${shown}` : `the history ${b.name} was restored from, as of ${shown}`;
  return {
    warning: `${b.name} was restored at ${at}${to ? ` to ${to}` : ""}; ${shown} lies before that, in the history it was restored from${from ? ` (${from})` : ""}, which may not be ${b.name}'s data as of then.${offer}`,
    holds,
    resetAt: at,
    ...(to ? { restoredTo: to } : {}),
    ...(backup ? { backup: { id: backup.id, name: backup.name } } : {}),
  };
}
