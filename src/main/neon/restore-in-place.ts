// `lifeboat neon restore`: rewinds a branch (production, by default) in place, keeping its current state as a backup
// branch (preserve_under_name) so the restore itself can be undone. Destructive: the operator types the branch's name.
import type { RestoreInPlaceResult } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { findBranch, looksLikeBranchId, preserveBranchName } from "./branch-names.ts";
import { assertInWindow, assertNotInFuture, historyWindow } from "./history-window.ts";
import { branchRow } from "./neon-branches.ts";
import { openNeonProject, type NeonRunOptions } from "./neon-client.ts";
import { assertNameFree, checkBranchName } from "./recover-to.ts";
import { describePoint, neonTimestamp, parseRecoveryPoint, type RecoveryPoint } from "./recovery-point.ts";

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
  const point = opts.point ? parseRecoveryPoint(opts.point, now) : undefined;
  if (point) assertNotInFuture(point, now);
  const preserveAs = opts.preserveAs ?? preserveBranchName(now);
  checkBranchName(preserveAs);
  return ctx.journal.step(
    {
      kind: "neon.restore",
      summary: `In-place restore of ${named ?? "the default branch"} to ${point ? describePoint(point) : `the head of ${opts.sourceBranch}`}, old state kept as ${preserveAs} (profile ${profile.name})`,
      profile: profile.name,
      details: {
        projectId: profile.neon?.projectId,
        branch: named ?? "(default)",
        ...(point ? { point: describePoint(point) } : {}),
        ...(opts.sourceBranch ? { sourceBranch: opts.sourceBranch } : {}),
        preserveAs,
        confirmed: opts.confirm,
      },
    },
    () => restore(profile, opts, point, preserveAs, now, ctx),
    (r) => ({
      branchId: r.branch.id,
      sourceId: r.source.id,
      preservedAs: r.preservedAs,
      ...(r.preservedId ? { preservedId: r.preservedId } : {}),
      operationsWaited: r.operationsWaited,
    }),
  );
}

async function restore(
  profile: Profile,
  opts: RestoreInPlaceOptions,
  point: RecoveryPoint | undefined,
  preserveAs: string,
  now: Date,
  ctx: EngineContext,
): Promise<RestoreInPlaceResult> {
  const t0 = performance.now();
  const neon = await openNeonProject(profile, ctx, opts);
  if (point) assertInWindow(point, historyWindow(await neon.project(), opts.now?.() ?? now));
  const branches = await neon.branches();
  const target = resolveBranch(branches, neon.config, opts.branch);
  if (opts.confirm !== target.name && opts.confirm !== target.id) throw confirmationError(target.name, opts.confirm);
  const source = opts.sourceBranch ? resolveBranch(branches, neon.config, opts.sourceBranch) : target;
  assertNameFree(branches, preserveAs, neon.projectId);

  const r = await neon.restoreBranch(target, {
    source_branch_id: source.id,
    ...(point
      ? point.kind === "lsn"
        ? { source_lsn: point.lsn }
        : { source_timestamp: neonTimestamp(point.at) }
      : {}),
    preserve_under_name: preserveAs,
  });
  const ops = await neon.waitForOperations(r.operations, `restore branch ${target.name}`);
  const after = await neon.branches();
  const preserved = findBranch(after, preserveAs);
  const restored = findBranch(after, target.id) ?? r.branch ?? target;
  return {
    branch: branchRow(restored, new Map(after.map((b) => [b.id, b]))),
    source: { id: source.id, name: source.name },
    ...(point ? (point.kind === "lsn" ? { lsn: point.lsn } : { pointInTime: neonTimestamp(point.at) }) : {}),
    preservedAs: preserveAs,
    ...(preserved ? { preservedId: preserved.id } : {}),
    durationMs: Math.round(performance.now() - t0),
    operationsWaited: ops.length,
  };
}
