// `lifeboat neon branches` and `lifeboat neon delete`. Lifeboat deletes only what it made (recovery-*, backup-test-*,
// emergency-*), and never the default branch, a protected one, or one with children: the checks run before the
// delete request is sent, so a slip of the keyboard costs nothing.
import type { DeleteBranchResult, NeonBranch } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { findBranch, isLifeboatBranchName, LIFEBOAT_BRANCH_PREFIXES, looksLikeBranchId } from "./branch-names.ts";
import { openNeonProject, type Branch, type Endpoint, type NeonProject, type NeonRunOptions } from "./neon-client.ts";

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
  opts: NeonRunOptions & { branch: string },
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
      return deleteChecked(neon, await neon.branches(), opts.branch);
    },
    (r) => ({ branchId: r.id, operationsWaited: r.operationsWaited }),
  );
}

/** The guard rails, then the delete. Exported for the drill, which already holds the branch list. */
export async function deleteChecked(neon: NeonProject, branches: Branch[], ref: string): Promise<DeleteBranchResult> {
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
      `refusing to delete ${b.name}: it is a protected branch`,
      "Remove the protection in the Neon console first, if that is really what you want.",
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
  const ops = await neon.deleteBranch(b);
  const done = await neon.waitForOperations(ops, `delete branch ${b.name}`);
  return { branch: b.name, id: b.id, deleted: true, operationsWaited: done.length };
}
