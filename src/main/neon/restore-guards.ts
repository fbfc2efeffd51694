// What Neon will not restore, refused before the request with Neon's own rule and the way out, instead of a generic
// refusal from the API afterwards. Sources: the branch's restricted_actions (Neon names the action and says why);
// protected branches cannot be reset from their parent (content/docs/guides/protected-branches.md); instant restore
// to a time or LSN works on root branches only, from root branches only
// (content/docs/postgres/backup-restore/branch-restore.md, 2026-08).
import type { Branch } from "@neondatabase/api-client";
import { LifeboatError } from "../../shared/errors.ts";
import { describePoint, type RecoveryPoint } from "./recovery-point.ts";

function refused(message: string, hint: string, b: Branch): LifeboatError {
  return new LifeboatError("NEON_REFUSED", message, hint, { branch: b.name, branchId: b.id });
}

/** Neon's restricted_actions entry for `action` on a branch, if any. */
export function restriction(b: Branch, action: string): string | undefined {
  const r = b.restricted_actions?.find((x) => x.name === action);
  return r ? r.reason || "no reason given" : undefined;
}

export function assertRestorable(
  target: Branch,
  source: Branch,
  point: RecoveryPoint | undefined,
  byId: Map<string, Branch>,
): void {
  const why = restriction(target, "restore");
  if (why) {
    throw refused(
      `Neon does not allow restoring ${target.name} right now: ${why}`,
      `Neon lists "restore" among the branch's restricted actions. ${target.protected ? "It is a protected branch: remove the protection in the Neon console (branch → More → Set as unprotected) if a restore is really intended, or" : "Resolve what Neon names, or"} recover into a new branch instead (lifeboat neon recover-to), which leaves ${target.name} untouched.`,
      target,
    );
  }
  if (target.protected && !point && target.parent_id && source.id === target.parent_id) {
    throw refused(
      `${target.name} is a protected branch, and Neon does not reset protected branches from their parent`,
      "Remove the protection in the Neon console (branch → More → Set as unprotected) if the reset is really intended, or restore it to a point in time with --to.",
      target,
    );
  }
  if (!point) return;
  const parentOf = (b: Branch) => (b.parent_id ? (byId.get(b.parent_id)?.name ?? b.parent_id) : undefined);
  for (const [b, role] of [
    [target, "restored"],
    [source, "restored from"],
  ] as const) {
    if (!b.parent_id) continue;
    const parent = parentOf(b);
    throw refused(
      `Neon restores to a time or LSN only from and into root branches, and ${b.name} (to be ${role}) was made from ${parent}`,
      `Make a branch at that point first: lifeboat neon recover-to --parent ${source.name} "${describePoint(point)}" (it prints the new branch's name), then restore ${target.name} to that branch's head: lifeboat neon restore --branch ${target.name} --source-branch <that branch> --confirm ${target.name}.`,
      b,
    );
  }
}
