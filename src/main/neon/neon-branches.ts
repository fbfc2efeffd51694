// `lifeboat neon branches` and `lifeboat neon delete`. Lifeboat deletes only what it made (recovery-*, backup-test-*,
// emergency-*), and never the default branch, a protected one, or one with children: the checks run before the
// delete request is sent, so a slip of the keyboard costs nothing.
import type { DeleteBranchResult, NeonBranch } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { findBranch, isLifeboatBranchName, LIFEBOAT_BRANCH_PREFIXES, looksLikeBranchId } from "./branch-names.ts";
import {
  openNeonProject,
  type Branch,
  type Endpoint,
  type NeonProject,
  type NeonRunOptions,
  type Operation,
} from "./neon-client.ts";
import { reconcileDelete, type ReconcileOptions } from "./neon-reconcile.ts";
import { restriction } from "./restore-guards.ts";

/** One branch as the API contract's NeonBranch describes it (plus the parent's name and LSN). */
export function branchRow(b: Branch, byId?: Map<string, Branch>, computeState?: string): NeonBranch {
  const parent = b.parent_id ? byId?.get(b.parent_id) : undefined;
  return {
    id: b.id,
    name: b.name,
    ...(b.parent_id ? { parentId: b.parent_id } : {}),
    ...(parent ? { parentName: parent.name } : {}),
    ...(b.parent_timestamp ? { parentTimestamp: b.parent_timestamp } : {}),
    ...(b.parent_lsn ? { parentLsn: b.parent_lsn } : {}),
    createdAt: b.created_at,
    state: b.current_state,
    protected: !!b.protected,
    default: !!b.default,
    lifeboat: isLifeboatBranchName(b.name),
    ...(computeState ? { computeState } : {}),
  };
}

export function branchRows(branches: Branch[], endpoints: Endpoint[] = []): NeonBranch[] {
  const byId = new Map(branches.map((b) => [b.id, b]));
  const compute = new Map<string, string>();
  for (const e of endpoints)
    if (e.type === "read_write" || !compute.has(e.branch_id)) compute.set(e.branch_id, e.current_state);
  return [...branches]
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0))
    .map((b) => branchRow(b, byId, compute.get(b.id)));
}

/** Read-only, so not journaled. */
export async function listBranches(
  profile: Profile,
  opts: NeonRunOptions,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
): Promise<{ branches: NeonBranch[] }> {
  const neon = await openNeonProject(profile, ctx, opts);
  // Compute states are a nicety: the list matters more during an outage than a failing endpoints call.
  const [branches, endpoints] = await Promise.all([neon.branches(), neon.endpoints().catch(() => [])]);
  return { branches: branchRows(branches, endpoints) };
}

function refuse(message: string, hint: string, details: Record<string, unknown>): LifeboatError {
  return new LifeboatError("NEON_REFUSED", message, hint, details);
}

const OWN = `Lifeboat deletes only the branches it makes (${LIFEBOAT_BRANCH_PREFIXES.map((p) => `${p}*`).join(", ")})`;

export async function deleteBranch(
  profile: Profile,
  opts: NeonRunOptions & { branch: string; reconcile?: ReconcileOptions },
  ctx: EngineContext,
): Promise<DeleteBranchResult> {
  return ctx.journal.step(
    {
      kind: "neon.delete",
      summary: `Delete branch ${opts.branch} (profile ${profile.name})`,
      profile: profile.name,
      details: { projectId: profile.neon?.projectId, branch: opts.branch },
    },
    async () => {
      // A name that is not Lifeboat's is refused before the key is even read.
      if (!looksLikeBranchId(opts.branch) && !isLifeboatBranchName(opts.branch)) {
        throw refuse(
          `refusing to delete "${opts.branch}": ${OWN}`,
          "Delete other branches in the Neon console, where their owner can judge.",
          { branch: opts.branch },
        );
      }
      const neon = await openNeonProject(profile, ctx, opts);
      return deleteChecked(neon, await neon.branches(), opts.branch, opts.reconcile);
    },
    (r) => ({ branchId: r.id, operationsWaited: r.operationsWaited }),
  );
}

/** The guard rails, then the delete. Exported for the drill, which already holds the branch list. */
export async function deleteChecked(
  neon: NeonProject,
  branches: Branch[],
  ref: string,
  reconcile?: ReconcileOptions,
): Promise<DeleteBranchResult> {
  const b = findBranch(branches, ref);
  if (!b) {
    throw new LifeboatError(
      "NEON_NOT_FOUND",
      `project ${neon.projectId} has no branch "${ref}"`,
      "`lifeboat neon branches` lists them; it may already be deleted.",
      { projectId: neon.projectId, branch: ref },
    );
  }
  const d = { branch: b.name, branchId: b.id };
  if (!isLifeboatBranchName(b.name))
    throw refuse(
      `refusing to delete ${b.name} (${b.id}): ${OWN}`,
      "Delete other branches in the Neon console, where their owner can judge.",
      d,
    );
  if (b.default)
    throw refuse(
      `refusing to delete ${b.name}: it is the project's default branch (production)`,
      "Make another branch the default in the Neon console first, if that is really what you want.",
      d,
    );
  if (b.protected)
    throw refuse(
      `refusing to delete ${b.name}: it is a protected branch, and Neon does not delete protected branches`,
      "Remove the protection in the Neon console first (branch → More → Set as unprotected), if that is really what you want.",
      d,
    );
  const restricted = restriction(b, "delete") ?? restriction(b, "delete-rw-endpoint");
  if (restricted)
    throw refuse(
      `refusing to delete ${b.name}: Neon restricts it: ${restricted}`,
      "Neon lists this among the branch's restricted actions; resolve what it names first.",
      d,
    );
  const children = branches.filter((c) => c.parent_id === b.id);
  if (children.length) {
    throw refuse(
      `refusing to delete ${b.name}: branches ${children.map((c) => c.name).join(", ")} were made from it`,
      "Delete those first (Neon cannot delete a branch with children).",
      { ...d, children: children.map((c) => c.name) },
    );
  }
  const since = new Date(Date.now() - 10_000);
  let ops: Operation[];
  try {
    ops = await neon.deleteBranch(b);
  } catch (e) {
    if (!(e instanceof LifeboatError) || e.code !== "NEON_ANSWER_LOST") throw e;
    neon.opts.onNote?.(`${e.message}; checking what Neon did…`);
    const rec = await reconcileDelete(neon, b, since, e, reconcile);
    if ("gone" in rec) {
      neon.opts.onNote?.(`Neon has the delete of branch ${b.name} after all: it is gone`);
      return { branch: b.name, id: b.id, deleted: true, operationsWaited: 0 };
    }
    if ("absentAfter" in rec) {
      throw new LifeboatError(
        "NEON_API",
        `${e.message}. Lifeboat checked: branch ${b.name} was not deleted (${rec.absentAfter}); it is still there`,
        `It is safe to delete it again: lifeboat neon delete ${b.name}.`,
        { ...e.details, reconciled: true, happened: false, branch: b.name, branchId: b.id },
        { cause: e },
      );
    }
    neon.opts.onNote?.(
      `Neon has the delete of branch ${b.name} after all: ${rec.operations.map((o) => `${o.action} ${o.status}`).join(", ")}`,
    );
    ops = rec.operations;
  }
  const done = await neon.waitForOperations(ops, `delete branch ${b.name}`);
  return { branch: b.name, id: b.id, deleted: true, operationsWaited: done.length };
}
