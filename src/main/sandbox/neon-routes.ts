import { z } from "zod";
import { planCreateBranch, planCreateEndpoint, planDelete, planRestore } from "./branch-actions.ts";
import { assertInWindow, parseTargetTime } from "./history-window.ts";
import { compareLsn, formatLsn, parseLsn } from "./lsn.ts";
import { badRequest, conflict, NeonApiError, notFound } from "./neon-error.ts";
import {
  branchView,
  connectionUris,
  databaseView,
  endpointView,
  operationView,
  projectView,
  roleView,
} from "./neon-views.ts";
import type { PointInHistory, SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord } from "./sandbox-state.ts";

export interface RouteContext {
  project: SandboxProject;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route {
  method: string;
  path: RegExp;
  operationId: string;
  handle: (ctx: RouteContext) => Promise<RouteResult>;
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success)
    throw badRequest(
      `invalid request body: ${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`,
    );
  return r.data;
}

function nameTaken(p: SandboxProject, name: string): boolean {
  return p.state.branches.some((b) => b.name === name);
}

function assertReady(b: BranchRecord, role: string): void {
  if (!b.dataDir || b.currentState !== "ready")
    throw new NeonApiError(409, `${role} branch ${b.id} is not ready (state ${b.currentState})`);
}

/** Checks a requested point against the source's history (window, future, WAL range) and returns it. */
async function pointIn(
  p: SandboxProject,
  source: BranchRecord,
  time: string | undefined,
  lsn: string | undefined,
  prefix: "parent" | "source",
): Promise<PointInHistory> {
  if (time !== undefined && lsn !== undefined)
    throw badRequest(`${prefix}_timestamp and ${prefix}_lsn cannot both be specified`);
  if (time !== undefined) {
    const t = parseTargetTime(time, `${prefix}_timestamp`);
    assertInWindow(t, await p.historyWindow(source), `${prefix}_timestamp`);
    return { kind: "time", time: t };
  }
  if (lsn !== undefined) {
    const value = parseLsn(lsn);
    if (value === null) throw badRequest(`${prefix}_lsn must be an LSN such as 0/1DE2850, got ${JSON.stringify(lsn)}`);
    const norm = formatLsn(value);
    const w = await p.historyWindow(source);
    const head = await p.headLsn(source);
    if (compareLsn(norm, w.earliestLsn) < 0)
      throw badRequest(
        `${prefix}_lsn ${norm} is outside the project's history retention window: the earliest LSN that can be restored is ${w.earliestLsn}`,
      );
    if (head && compareLsn(norm, head) > 0)
      throw badRequest(`${prefix}_lsn ${norm} is ahead of the branch's latest LSN ${head}`);
    return { kind: "lsn", lsn: norm };
  }
  return { kind: "head" };
}

/** Runs a mutating request under the project's operation lock (423 while another request's operations run). */
async function mutate(p: SandboxProject, fn: (release: () => void) => Promise<RouteResult>): Promise<RouteResult> {
  const claim = p.queue.reserve();
  try {
    return await fn(claim.release);
  } finally {
    claim.release();
  }
}

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

async function createBranch({ project: p, body }: RouteContext): Promise<RouteResult> {
  const req = parseBody(CreateBranchBody, body);
  const b = req.branch ?? {};
  const parent = b.parent_id ? p.branch(b.parent_id) : p.defaultBranch();
  if (!parent) throw notFound(`parent branch ${b.parent_id} not found`);
  if (b.name !== undefined && nameTaken(p, b.name)) throw conflict(`branch with name "${b.name}" already exists`);
  if (b.init_source && b.init_source !== "parent-data")
    throw badRequest(`init_source "${b.init_source}" is not supported by the Lifeboat sandbox (only parent-data)`);
  if (b.archived) throw badRequest("archived branches are not supported by the Lifeboat sandbox");
  const endpoints = req.endpoints ?? [];
  if (endpoints.length > 1) throw badRequest("the Lifeboat sandbox creates at most one compute per branch");
  if (endpoints.some((e) => e.type !== "read_write"))
    throw badRequest("the Lifeboat sandbox supports read_write computes only");
  return mutate(p, async (release) => {
    assertReady(parent, "parent");
    const point = await pointIn(p, parent, b.parent_timestamp, b.parent_lsn, "parent");
    const { branch, steps } = await planCreateBranch(p, {
      parent,
      ...(b.name ? { name: b.name } : {}),
      point,
      withEndpoint: endpoints.length === 1,
      protected: b.protected ?? false,
    });
    const operations = p.queue.start(steps, release);
    await p.save();
    return {
      status: 201,
      body: {
        branch: branchView(p, branch),
        endpoints: branch.endpoint ? [endpointView(p, branch, branch.endpoint)] : [],
        operations: operations.map(operationView),
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

async function restoreBranch({ project: p, params, body }: RouteContext): Promise<RouteResult> {
  const target = p.requireBranch(params.branch_id as string);
  const req = parseBody(RestoreBody, body);
  const source = p.branch(req.source_branch_id);
  if (!source) throw notFound(`source branch ${req.source_branch_id} not found`);
  const self = source.id === target.id;
  if (self && req.source_timestamp === undefined && req.source_lsn === undefined)
    throw badRequest("source_timestamp or source_lsn is required when a branch is restored from its own history");
  const hasChildren = p.state.branches.some((c) => c.parentId === target.id);
  const preserve = req.preserve_under_name || undefined;
  if ((self || hasChildren) && !preserve)
    throw badRequest(
      `preserve_under_name is required when ${self ? "a branch is restored from its own history" : "the branch has children"}`,
    );
  if (preserve !== undefined && nameTaken(p, preserve)) throw conflict(`branch with name "${preserve}" already exists`);
  if (target.protected) throw badRequest(`branch ${target.id} is protected and cannot be restored`);
  return mutate(p, async (release) => {
    assertReady(target, "target");
    assertReady(source, "source");
    const point = await pointIn(p, source, req.source_timestamp, req.source_lsn, "source");
    const { steps } = planRestore(p, {
      target,
      source,
      point,
      ...(preserve !== undefined ? { preserveUnderName: preserve } : {}),
    });
    const operations = p.queue.start(steps, release);
    await p.save();
    return { status: 200, body: { branch: branchView(p, target), operations: operations.map(operationView) } };
  });
}

async function deleteBranch({ project: p, params }: RouteContext): Promise<RouteResult> {
  const branch = p.branch(params.branch_id as string);
  // Neon's spec: 204 when the branch does not exist or is deleted already.
  if (!branch) return { status: 204 };
  if (branch.default) throw badRequest(`branch ${branch.id} is the project's default branch and cannot be deleted`);
  if (branch.protected) throw badRequest(`branch ${branch.id} is protected and cannot be deleted`);
  if (p.state.branches.some((c) => c.parentId === branch.id))
    throw badRequest(`branch ${branch.id} has child branches; delete them first`);
  return mutate(p, async (release) => {
    const operations = p.queue.start(planDelete(p, branch), release);
    await p.save();
    return { status: 200, body: { branch: branchView(p, branch), operations: operations.map(operationView) } };
  });
}

const CreateEndpointBody = z
  .object({
    endpoint: z.object({ branch_id: z.string().min(1), type: z.enum(["read_write", "read_only"]) }).passthrough(),
  })
  .passthrough();

async function createEndpoint({ project: p, body }: RouteContext): Promise<RouteResult> {
  const req = parseBody(CreateEndpointBody, body);
  const branch = p.branch(req.endpoint.branch_id);
  if (!branch) throw notFound(`branch ${req.endpoint.branch_id} not found`);
  if (req.endpoint.type !== "read_write") throw badRequest("the Lifeboat sandbox supports read_write computes only");
  if (branch.endpoint)
    throw badRequest(`branch ${branch.id} already has a read_write endpoint (${branch.endpoint.id})`);
  return mutate(p, async (release) => {
    assertReady(branch, "the");
    const { endpoint, steps } = await planCreateEndpoint(p, branch);
    const operations = p.queue.start(steps, release);
    await p.save();
    return {
      status: 201,
      body: { endpoint: endpointView(p, branch, endpoint), operations: operations.map(operationView) },
    };
  });
}

function listBranches({ project: p, query }: RouteContext): RouteResult {
  const search = query.get("search");
  const sortBy = (query.get("sort_by") ?? "updated_at") as "name" | "created_at" | "updated_at";
  if (!["name", "created_at", "updated_at"].includes(sortBy))
    throw badRequest(`sort_by must be name, created_at or updated_at`);
  const order = query.get("sort_order") === "asc" ? 1 : -1;
  const keyOf = (b: BranchRecord) => (sortBy === "name" ? b.name : sortBy === "created_at" ? b.createdAt : b.updatedAt);
  let branches = p.state.branches.filter((b) => !search || b.name.includes(search) || b.id.includes(search));
  branches = branches.sort((a, b) => order * keyOf(a).localeCompare(keyOf(b)));
  const limit = Number(query.get("limit") ?? 0);
  if (limit > 0) branches = branches.slice(0, limit);
  return {
    status: 200,
    body: {
      branches: branches.map((b) => branchView(p, b)),
      annotations: {},
      pagination: { sort_by: sortBy, sort_order: order === 1 ? "asc" : "desc" },
    },
  };
}

function getBranch({ project: p, params }: RouteContext): RouteResult {
  const b = p.requireBranch(params.branch_id as string);
  return {
    status: 200,
    body: { branch: branchView(p, b), annotation: { object: { type: "console/branch", id: b.id }, value: {} } },
  };
}

function endpointsOf(p: SandboxProject, branches: BranchRecord[]): RouteResult {
  return {
    status: 200,
    body: { endpoints: branches.flatMap((b) => (b.endpoint ? [endpointView(p, b, b.endpoint)] : [])) },
  };
}

function getEndpoint({ project: p, params }: RouteContext): RouteResult {
  const b = p.state.branches.find((x) => x.endpoint?.id === params.endpoint_id);
  if (!b?.endpoint) throw notFound(`endpoint ${params.endpoint_id} not found`);
  return { status: 200, body: { endpoint: endpointView(p, b, b.endpoint) } };
}

function connectionUri({ project: p, query }: RouteContext): RouteResult {
  const database = query.get("database_name");
  const role = query.get("role_name");
  if (!database || !role) throw badRequest("database_name and role_name are required");
  const branchId = query.get("branch_id");
  const branch = branchId ? p.requireBranch(branchId) : p.defaultBranch();
  const endpointId = query.get("endpoint_id");
  if (endpointId && branch.endpoint?.id !== endpointId)
    throw notFound(`endpoint ${endpointId} not found on branch ${branch.id}`);
  if (database !== p.state.database.name) throw notFound(`database ${database} not found on branch ${branch.id}`);
  if (role !== p.state.role.name) throw notFound(`role ${role} not found on branch ${branch.id}`);
  // No PgBouncer in the sandbox: pooled=true gets the direct URI too.
  const uri = p.connectionUri(branch, database, role);
  if (!uri) throw notFound(`branch ${branch.id} has no read_write endpoint`);
  return { status: 200, body: { uri } };
}

function rolePassword({ project: p, params }: RouteContext): RouteResult {
  const b = p.requireBranch(params.branch_id as string);
  if (params.role_name !== p.state.role.name) throw notFound(`role ${params.role_name} not found on branch ${b.id}`);
  return { status: 200, body: { password: p.state.role.password } };
}

function listOperations({ project: p, query }: RouteContext): RouteResult {
  const limit = Math.min(1000, Math.max(1, Number(query.get("limit") ?? 10) || 10));
  const offset = Number(Buffer.from(query.get("cursor") ?? "", "base64url").toString() || 0) || 0;
  const all = [...p.state.operations].reverse();
  const page = all.slice(offset, offset + limit);
  const next = offset + page.length;
  return {
    status: 200,
    body: {
      operations: page.map(operationView),
      ...(next < all.length ? { pagination: { cursor: Buffer.from(String(next)).toString("base64url") } } : {}),
    },
  };
}

function getOperation({ project: p, params }: RouteContext): RouteResult {
  const op = p.state.operations.find((o) => o.id === params.operation_id);
  if (!op) throw notFound(`operation ${params.operation_id} not found`);
  return { status: 200, body: { operation: operationView(op) } };
}

function listProjects({ project: p }: RouteContext): RouteResult {
  const full = projectView(p);
  const keys = [
    "id",
    "platform_id",
    "region_id",
    "name",
    "provisioner",
    "pg_version",
    "proxy_host",
    "branch_logical_size_limit",
    "branch_logical_size_limit_bytes",
    "store_passwords",
    "cpu_used_sec",
    "creation_source",
    "created_at",
    "updated_at",
    "owner_id",
    "default_endpoint_settings",
    "settings",
  ];
  const item = Object.fromEntries(keys.map((k) => [k, full[k]]));
  return { status: 200, body: { projects: [{ ...item, active_time: 0 }], applications: {}, integrations: {} } };
}

const P = "/projects/(?<project_id>[^/]+)";
const B = `${P}/branches/(?<branch_id>[^/]+)`;
const sync = (fn: (ctx: RouteContext) => RouteResult) => async (ctx: RouteContext) => fn(ctx);
const route = (method: string, path: string, operationId: string, handle: Route["handle"]): Route => ({
  method,
  path: new RegExp(`^${path}$`),
  operationId,
  handle,
});

/** The subset of Neon's API that Lifeboat (and neonctl's branch commands) use. Paths are relative to /api/v2. */
export const ROUTES: Route[] = [
  route("GET", "/projects", "listProjects", sync(listProjects)),
  route(
    "GET",
    P,
    "getProject",
    sync(({ project }) => ({ status: 200, body: { project: projectView(project) } })),
  ),
  route("GET", `${P}/operations`, "listProjectOperations", sync(listOperations)),
  route("GET", `${P}/operations/(?<operation_id>[^/]+)`, "getProjectOperation", sync(getOperation)),
  route("GET", `${P}/connection_uri`, "getConnectionURI", sync(connectionUri)),
  route("GET", `${P}/branches`, "listProjectBranches", sync(listBranches)),
  route("POST", `${P}/branches`, "createProjectBranch", createBranch),
  route("GET", B, "getProjectBranch", sync(getBranch)),
  route("DELETE", B, "deleteProjectBranch", deleteBranch),
  route("POST", `${B}/restore`, "restoreProjectBranch", restoreBranch),
  route(
    "GET",
    `${B}/endpoints`,
    "listProjectBranchEndpoints",
    sync(({ project, params }) => endpointsOf(project, [project.requireBranch(params.branch_id as string)])),
  ),
  route(
    "GET",
    `${B}/databases`,
    "listProjectBranchDatabases",
    sync(({ project, params }) => ({
      status: 200,
      body: { databases: [databaseView(project, project.requireBranch(params.branch_id as string))] },
    })),
  ),
  route(
    "GET",
    `${B}/roles`,
    "listProjectBranchRoles",
    sync(({ project, params }) => ({
      status: 200,
      body: { roles: [roleView(project, project.requireBranch(params.branch_id as string))] },
    })),
  ),
  route("GET", `${B}/roles/(?<role_name>[^/]+)/reveal_password`, "getProjectBranchRolePassword", sync(rolePassword)),
  route(
    "GET",
    `${P}/endpoints`,
    "listProjectEndpoints",
    sync(({ project }) => endpointsOf(project, project.state.branches)),
  ),
  route("POST", `${P}/endpoints`, "createProjectEndpoint", createEndpoint),
  route("GET", `${P}/endpoints/(?<endpoint_id>[^/]+)`, "getProjectEndpoint", sync(getEndpoint)),
];
