// The sandbox's branch changes, with Neon's rules checked in Neon's order and words: names (409), protected branches,
// root-only instant restore, the plan's root-branch allowance, what may be deleted.
import { z } from "zod";
import { planCreateBranch, planDelete } from "./branch-actions.ts";
import { badRequest, NeonApiError, notFound, unprocessable } from "./neon-error.ts";
import { branchView, connectionUris, databaseView, endpointView, roleView } from "./neon-views.ts";
import { planRestore } from "./restore-actions.ts";
import {
  assertReady,
  branchExists,
  mutate,
  nameTaken,
  parseBody,
  pointIn,
  startPlan,
  type RouteContext,
  type RouteResult,
} from "./route-helpers.ts";
import { planOfSandbox } from "./sandbox-plan.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord } from "./sandbox-state.ts";

const CreateBranchBody = z
  .object({
    endpoints: z.array(z.object({ type: z.enum(["read_write", "read_only"]) }).passthrough()).optional(),
    branch: z
      .object({
        parent_id: z.string().optional(),
        name: z.string().min(1).max(256).optional(),
        parent_lsn: z.string().optional(),
        parent_timestamp: z.string().optional(),
        protected: z.boolean().optional(),
        archived: z.boolean().optional(),
        init_source: z.string().optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** Protected branches exist on paid plans only, a few of them (content/docs/guides/protected-branches.md). */
function assertCanProtect(p: SandboxProject, except?: BranchRecord): void {
  const plan = planOfSandbox(p.state.project.plan);
  if (plan.protectedBranches === 0)
    throw new NeonApiError(
      403,
      `protected branches are available on paid plans only; this project is on the ${plan.label} plan`,
      "FEATURE_NOT_AVAILABLE",
    );
  const count = p.state.branches.filter((b) => b.protected && b !== except).length;
  if (count >= plan.protectedBranches)
    throw unprocessable(
      `the ${plan.label} plan allows ${plan.protectedBranches} protected branches, and this project has ${count}`,
      "PROTECTED_BRANCHES_LIMIT_EXCEEDED",
    );
}

export async function createBranch({ project: p, body, operationFault }: RouteContext): Promise<RouteResult> {
  const req = parseBody(CreateBranchBody, body);
  const b = req.branch ?? {};
  const parent = b.parent_id ? p.branch(b.parent_id) : p.defaultBranch();
  if (!parent) throw notFound(`parent branch ${b.parent_id} not found`);
  if (b.name !== undefined && nameTaken(p, b.name)) throw branchExists(b.name);
  if (b.init_source && b.init_source !== "parent-data")
    throw badRequest(`init_source "${b.init_source}" is not supported by the Lifeboat sandbox (only parent-data)`);
  if (b.archived) throw badRequest("archived branches are not supported by the Lifeboat sandbox");
  if (b.protected) assertCanProtect(p);
  const endpoints = req.endpoints ?? [];
  if (endpoints.length > 1) throw badRequest("the Lifeboat sandbox creates at most one compute per branch");
  if (endpoints.some((e) => e.type !== "read_write"))
    throw badRequest("the Lifeboat sandbox supports read_write computes only");
  return mutate(p, async (release) => {
    assertReady(parent, "parent");
    const point = await pointIn(p, parent, b.parent_timestamp, b.parent_lsn, "parent");
    const planned = await planCreateBranch(p, {
      parent,
      ...(b.name ? { name: b.name } : {}),
      point,
      withEndpoint: endpoints.length === 1,
      protected: b.protected ?? false,
    });
    const { branch } = planned;
    const operations = await startPlan(p, release, planned, operationFault);
    return {
      status: 201,
      body: {
        branch: branchView(p, branch),
        endpoints: branch.endpoint ? [endpointView(p, branch, branch.endpoint)] : [],
        operations,
        roles: [roleView(p, branch)],
        databases: [databaseView(p, branch)],
        connection_uris: connectionUris(p, branch),
      },
    };
  });
}

const RestoreBody = z
  .object({
    source_branch_id: z.string().min(1),
    source_lsn: z.string().optional(),
    source_timestamp: z.string().optional(),
    preserve_under_name: z.string().optional(),
  })
  .passthrough();

export async function restoreBranch({ project: p, params, body, operationFault }: RouteContext): Promise<RouteResult> {
  const target = p.requireBranch(params.branch_id as string);
  const req = parseBody(RestoreBody, body);
  const source = p.branch(req.source_branch_id);
  if (!source) throw notFound(`source branch ${req.source_branch_id} not found`);
  const self = source.id === target.id;
  const toPoint = req.source_timestamp !== undefined || req.source_lsn !== undefined;
  if (self && !toPoint)
    throw badRequest("source_timestamp or source_lsn is required when a branch is restored from its own history");
  const hasChildren = p.state.branches.some((c) => c.parentId === target.id);
  const preserve = req.preserve_under_name || undefined;
  if ((self || hasChildren) && !preserve)
    throw badRequest(
      `preserve_under_name is required when ${self ? "a branch is restored from its own history" : "the branch has children"}`,
    );
  if (preserve !== undefined && nameTaken(p, preserve)) throw branchExists(preserve);
  if (target.protected && !toPoint && source.id === target.parentId)
    throw badRequest(`branch ${target.id} is protected: protected branches cannot be reset from their parent`);
  // Instant restore to a time or LSN: root branches only, from root branches only.
  if (toPoint && (target.parentId || source.parentId))
    throw badRequest(
      `point-in-time restore is only supported for root branches: ${target.parentId ? `branch ${target.id}` : `source branch ${source.id}`} has a parent`,
    );
  const plan = planOfSandbox(p.state.project.plan);
  const roots = p.state.branches.filter((b) => !b.parentId).length;
  if (preserve !== undefined && !target.parentId && roots >= plan.rootBranches)
    throw unprocessable(
      `restoring root branch ${target.id} keeps its old state as another root branch, and the ${plan.label} plan allows ${plan.rootBranches} root branches (this project has ${roots})`,
      "ROOT_BRANCHES_LIMIT_EXCEEDED",
    );
  return mutate(p, async (release) => {
    assertReady(target, "target");
    assertReady(source, "source");
    const point = await pointIn(p, source, req.source_timestamp, req.source_lsn, "source");
    const operations = await startPlan(
      p,
      release,
      planRestore(p, {
        target,
        source,
        point,
        ...(preserve !== undefined ? { preserveUnderName: preserve } : {}),
      }),
      operationFault,
    );
    return { status: 200, body: { branch: branchView(p, target), operations } };
  });
}

export async function deleteBranch({ project: p, params, operationFault }: RouteContext): Promise<RouteResult> {
  const branch = p.branch(params.branch_id as string);
  // Neon's spec: 204 when the branch does not exist or is deleted already.
  if (!branch) return { status: 204 };
  if (branch.default) throw badRequest(`branch ${branch.id} is the project's default branch and cannot be deleted`);
  if (branch.protected) throw badRequest(`branch ${branch.id} is protected and cannot be deleted`);
  if (branch.undeletable) throw badRequest(`branch ${branch.id} cannot be deleted: ${branch.undeletable}`);
  if (p.state.branches.some((c) => c.parentId === branch.id))
    throw badRequest(`branch ${branch.id} has child branches; delete them first`);
  return mutate(p, async (release) => {
    const operations = await startPlan(p, release, planDelete(p, branch), operationFault);
    return { status: 200, body: { branch: branchView(p, branch), operations } };
  });
}

const UpdateBranchBody = z
  .object({
    branch: z.object({ name: z.string().min(1).max(256).optional(), protected: z.boolean().optional() }).passthrough(),
  })
  .passthrough();

/** updateProjectBranch: rename, protect, unprotect. No operations: Neon answers with an empty list. */
export async function updateBranch({ project: p, params, body }: RouteContext): Promise<RouteResult> {
  const branch = p.requireBranch(params.branch_id as string);
  const req = parseBody(UpdateBranchBody, body).branch;
  if (req.name !== undefined && req.name !== branch.name && nameTaken(p, req.name)) throw branchExists(req.name);
  if (req.protected === true && !branch.protected) assertCanProtect(p, branch);
  if (req.name !== undefined) branch.name = req.name;
  if (req.protected !== undefined) branch.protected = req.protected;
  branch.updatedAt = new Date().toISOString();
  await p.save();
  return { status: 200, body: { branch: branchView(p, branch), operations: [] } };
}
