// `lifeboat neon restore`: rewinds a branch (production, by default) in place, keeping its current state as a backup
// branch (preserve_under_name) so the restore itself can be undone. Destructive: the operator types the branch's name.
// The point is fixed once (a relative time becomes an absolute instant before anything is sent) and every later
// message names that instant. The journal gets three records: started, "restore requested (operations …)" once Neon
// has it, and the outcome; an answer lost on the way is reconciled against what exists, never reported as a failure.
import type { RestoreInPlaceResult } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { JournalReader } from "../journal/journal.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { findBranch, looksLikeBranchId, preserveBranchName } from "./branch-names.ts";
import { assertInWindow, assertNotInFuture, historyWindow } from "./history-window.ts";
import { branchRow } from "./neon-branches.ts";
import { openNeonProject, type Branch, type NeonProject, type NeonRunOptions, type Operation } from "./neon-client.ts";
import { reconcileRestore, type ReconcileOptions } from "./neon-reconcile.ts";
import { assertNameFree, checkBranchName } from "./recover-to.ts";
import { announcePoint, journalReaderOf, pointAbsolute, withPointHint } from "./point-journal.ts";
import { describePoint, neonTimestamp, parseRecoveryPoint, type RecoveryPoint } from "./recovery-point.ts";
import { assertRestorable } from "./restore-guards.ts";
import { timelineNote } from "./restore-timeline.ts";

export interface RestoreInPlaceOptions extends NeonRunOptions {
  /** Branch to restore (name or id); default: the project's default branch. */
  branch?: string;
  /** Time or LSN to restore to (in the source branch's history). */
  point?: string;
  /** Take the state from this branch (name or id) instead of the branch's own history. */
  sourceBranch?: string;
  /** Default backup-before-restore-YYYYMMDD-HHMMSS. */
  preserveAs?: string;
  /** Must equal the target branch's name (or id). */
  confirm?: string;
  /** How Lifeboat looks for the restore after a lost answer (tests shorten it). */
  reconcile?: ReconcileOptions;
  /** Where earlier restores are read from (default: the context's journal when it can be read). */
  history?: Pick<JournalReader, "query">;
}

function confirmationError(target: string, given?: string): LifeboatError {
  return new LifeboatError(
    "CONFIRMATION_REQUIRED",
    given === undefined
      ? `restoring ${target} in place replaces the data every client sees; it needs typed confirmation`
      : `--confirm "${given}" does not match the branch to restore (${target})`,
    `Type the branch's name: --confirm ${target.startsWith("the default") ? "<branch-name>" : target}. Its current state is kept as a backup branch. To look before you leap, use \`lifeboat neon recover-to\` (a new branch, production untouched).`,
    { branch: target },
  );
}

export async function restoreInPlace(
  profile: Profile,
  opts: RestoreInPlaceOptions,
  ctx: EngineContext,
): Promise<RestoreInPlaceResult> {
  const named = opts.branch ?? profile.neon?.defaultBranch;
  // No confirmation, no API call: not even a read.
  if (opts.confirm === undefined || opts.confirm === "") throw confirmationError(named ?? "the default branch");
  if (named && opts.confirm !== named && !looksLikeBranchId(named) && !looksLikeBranchId(opts.confirm))
    throw confirmationError(named, opts.confirm);
  if (!opts.point && !opts.sourceBranch) {
    throw new LifeboatError(
      "USAGE",
      "say what to restore to: --to <time|LSN|relative time>, --source-branch <name>, or both",
      'e.g. --to "2026-01-17 14:29:59 UTC" or --to "1 hour ago".',
    );
  }
  const now = opts.now?.() ?? new Date();
  // The one moment a relative time is resolved: everything after this uses the absolute point.
  const point = opts.point ? parseRecoveryPoint(opts.point, now) : undefined;
  if (point) assertNotInFuture(point, now);
  const preserveAs = opts.preserveAs ?? preserveBranchName(now);
  checkBranchName(preserveAs);
  const what = point ? describePoint(point) : `the head of ${opts.sourceBranch}`;
  const entry = {
    kind: "neon.restore",
    summary: `In-place restore of ${named ?? "the default branch"} to ${what}, old state kept as ${preserveAs} (profile ${profile.name})`,
    profile: profile.name,
    details: {
      projectId: profile.neon?.projectId,
      branch: named ?? "(default)",
      ...(point ? { point: describePoint(point), pointAbsolute: pointAbsolute(point) } : {}),
      ...(point?.kind === "timestamp" && point.relative ? { input: point.input } : {}),
      ...(opts.sourceBranch ? { sourceBranch: opts.sourceBranch } : {}),
      preserveAs,
      confirmed: opts.confirm,
    },
  };
  announcePoint(point, opts.onNote);
  return ctx.journal.step(
    entry,
    () => withPointHint(point, "--to", () => restore(profile, opts, point, preserveAs, now, ctx, entry)),
    (r) => ({
      branchId: r.branch.id,
      sourceId: r.source.id,
      preservedAs: r.preservedAs,
      ...(r.preservedId ? { preservedId: r.preservedId } : {}),
      ...(r.lsn ? { lsn: r.lsn } : {}),
      operationsWaited: r.operationsWaited,
      ...(r.reconciled ? { reconciled: r.reconciled } : {}),
      ...(r.warnings.length ? { warnings: r.warnings } : {}),
    }),
  );
}

/** Sends the restore; after a lost answer, finds out whether Neon has it. Returns the operations to wait for. */
async function request(
  neon: NeonProject,
  target: Branch,
  source: Branch,
  point: RecoveryPoint | undefined,
  preserveAs: string,
  opts: RestoreInPlaceOptions,
): Promise<{ operations: Operation[]; reconciled?: string[] }> {
  const since = new Date(Date.now() - 10_000);
  try {
    const r = await neon.restoreBranch(target, {
      source_branch_id: source.id,
      ...(point
        ? point.kind === "lsn"
          ? { source_lsn: point.lsn }
          : { source_timestamp: neonTimestamp(point.at) }
        : {}),
      preserve_under_name: preserveAs,
    });
    return { operations: r.operations };
  } catch (e) {
    if (!(e instanceof LifeboatError) || e.code !== "NEON_ANSWER_LOST") throw e;
    neon.opts.onNote?.(`${e.message}; checking what Neon did…`);
    const rec = await reconcileRestore(neon, target, preserveAs, since, e, opts.reconcile);
    if ("absentAfter" in rec) {
      throw new LifeboatError(
        "NEON_API",
        `${e.message}. Lifeboat checked: ${target.name} was not restored (no backup branch ${preserveAs}, its last reset unchanged, no operation on it; ${rec.absentAfter}). Nothing was changed`,
        "It is safe to run the same restore again.",
        { ...e.details, reconciled: true, happened: false },
        { cause: e },
      );
    }
    neon.opts.onNote?.(`Neon has the restore after all: ${rec.evidence.join("; ")}`);
    return { operations: rec.operations, reconciled: rec.evidence };
  }
}

async function restore(
  profile: Profile,
  opts: RestoreInPlaceOptions,
  point: RecoveryPoint | undefined,
  preserveAs: string,
  now: Date,
  ctx: EngineContext,
  entry: { kind: string; profile: string; details: Record<string, unknown> },
): Promise<RestoreInPlaceResult> {
  const t0 = performance.now();
  const neon = await openNeonProject(profile, ctx, opts);
  if (point) assertInWindow(point, historyWindow(await neon.project(), opts.now?.() ?? now));
  const branches = await neon.branches();
  const byId = new Map(branches.map((b) => [b.id, b]));
  const target = resolveBranch(branches, neon.config, opts.branch);
  if (opts.confirm !== target.name && opts.confirm !== target.id) throw confirmationError(target.name, opts.confirm);
  const source = opts.sourceBranch ? resolveBranch(branches, neon.config, opts.sourceBranch) : target;
  assertNameFree(branches, preserveAs, neon.projectId);
  assertRestorable(target, source, point, byId);
  const warnings: string[] = [];
  if (point) {
    const note = await timelineNote(source, point, branches, opts.history ?? journalReaderOf(ctx));
    if (note) warnings.push(note.warning);
  }
  for (const w of warnings) opts.onNote?.(`warning: ${w}`);

  const req = await request(neon, target, source, point, preserveAs, opts);
  await ctx.journal.append({
    ...entry,
    outcome: "info",
    summary: `Restore of ${target.name} requested (operations ${req.operations.map((o) => `${o.action} ${o.id}`).join(", ") || "none"})${req.reconciled ? `: Neon's answer was lost, but ${req.reconciled.join("; ")}` : ""}`,
    details: {
      ...entry.details,
      branchId: target.id,
      operations: req.operations.map((o) => ({ id: o.id, action: o.action, status: o.status })),
      ...(req.reconciled ? { reconciled: req.reconciled } : {}),
    },
  });
  let ops: Operation[];
  try {
    ops = await neon.waitForOperations(req.operations, `restore branch ${target.name}`);
  } catch (e) {
    throw await withBackupState(neon, e, preserveAs);
  }
  const after = await neon.branches();
  const preserved = findBranch(after, preserveAs);
  const restored = findBranch(after, target.id) ?? target;
  return {
    branch: branchRow(restored, new Map(after.map((b) => [b.id, b]))),
    source: { id: source.id, name: source.name },
    ...(point ? (point.kind === "lsn" ? { lsn: point.lsn } : { pointInTime: neonTimestamp(point.at) }) : {}),
    ...(point?.kind === "timestamp" && point.relative ? { input: point.input } : {}),
    preservedAs: preserveAs,
    ...(preserved ? { preservedId: preserved.id } : {}),
    durationMs: Math.round(performance.now() - t0),
    operationsWaited: ops.length,
    ...(req.reconciled ? { reconciled: req.reconciled } : {}),
    warnings,
  };
}

/** A restore that failed or went out of sight: say whether the backup of the old state exists. */
async function withBackupState(neon: NeonProject, e: unknown, preserveAs: string): Promise<unknown> {
  if (!(e instanceof LifeboatError)) return e;
  const backup = await neon
    .branches()
    .then((bs) => findBranch(bs, preserveAs))
    .catch(() => null);
  const state =
    backup === null
      ? `whether backup branch ${preserveAs} exists could not be checked`
      : backup
        ? `backup branch ${preserveAs} (${backup.id}) holds the state from before the restore`
        : `there is no backup branch ${preserveAs}`;
  return new LifeboatError(
    e.code,
    `${e.message}; ${state}`,
    e.hint,
    { ...e.details, backupExists: backup ? true : backup === null ? "unknown" : false },
    { cause: e },
  );
}
