import { createBranch, deleteBranch, restoreBranch, updateBranch } from "./branch-routes.ts";
import { createEndpoint, endpointOf, startEndpoint, suspendEndpoint } from "./endpoint-routes.ts";
import { page, type PageQuery } from "./list-pages.ts";
import { badRequest, notFound } from "./neon-error.ts";
import { branchView, databaseView, endpointView, operationView, projectView, roleView } from "./neon-views.ts";
import { sync, type RouteContext, type RouteResult } from "./route-helpers.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord } from "./sandbox-state.ts";

export type { RouteContext, RouteResult } from "./route-helpers.ts";

export interface Route {
  method: string;
  path: RegExp;
  operationId: string;
  handle: (ctx: RouteContext) => Promise<RouteResult>;
}

const SORT_KEYS = ["name", "created_at", "updated_at"] as const;

function listBranches({ project: p, query }: RouteContext): RouteResult {
  const search = query.get("search");
  const sortBy = (query.get("sort_by") ?? "updated_at") as (typeof SORT_KEYS)[number];
  if (!SORT_KEYS.includes(sortBy)) throw badRequest(`sort_by must be name, created_at or updated_at`);
  const order = query.get("sort_order") === "asc" ? "asc" : "desc";
  const keyOf = (b: BranchRecord) => (sortBy === "name" ? b.name : sortBy === "created_at" ? b.createdAt : b.updatedAt);
  const all = p.state.branches.filter((b) => !search || b.name.includes(search) || b.id.includes(search));
  const q: PageQuery = { limit: query.get("limit"), cursor: query.get("cursor"), order };
  const { items, next } = page(all, (b) => [keyOf(b), b.id], q);
  return {
    status: 200,
    body: {
      branches: items.map((b) => branchView(p, b)),
      annotations: {},
      pagination: { ...(next ? { next } : {}), sort_by: sortBy, sort_order: order },
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
  const uri = p.connectionUri(branch, { database, role, pooled: query.get("pooled") === "true" });
  if (!uri) throw notFound(`branch ${branch.id} has no read_write endpoint`);
  return { status: 200, body: { uri } };
}

function rolePassword({ project: p, params }: RouteContext): RouteResult {
  const b = p.requireBranch(params.branch_id as string);
  if (params.role_name !== p.state.role.name) throw notFound(`role ${params.role_name} not found on branch ${b.id}`);
  return { status: 200, body: { password: p.rolePassword(b) } };
}

function listOperations({ project: p, query }: RouteContext): RouteResult {
  const all = [...p.state.operations].reverse();
  const { items, next } = page(all, (o) => [String(all.length - all.indexOf(o)).padStart(10, "0"), o.id], {
    limit: query.get("limit") ?? "10",
    cursor: query.get("cursor"),
    order: "desc",
    maxLimit: 1000,
  });
  return {
    status: 200,
    body: { operations: items.map(operationView), ...(next ? { pagination: { cursor: next } } : {}) },
  };
}

function getOperation({ project: p, params }: RouteContext): RouteResult {
  const op = p.state.operations.find((o) => o.id === params.operation_id);
  if (!op) throw notFound(`operation ${params.operation_id} not found`);
  return { status: 200, body: { operation: operationView(op) } };
}

const LIST_ITEM_KEYS = [
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
  "history_retention_seconds",
];

function listProjects({ project: p, query }: RouteContext): RouteResult {
  const full = projectView(p);
  const item: Record<string, unknown> = {
    ...Object.fromEntries(LIST_ITEM_KEYS.map((k) => [k, full[k]])),
    active_time: 0,
  };
  const { items, next } = page([item], (x) => [String(x.id), String(x.id)], {
    limit: query.get("limit"),
    cursor: query.get("cursor"),
    order: "asc",
    maxLimit: 400,
  });
  return {
    status: 200,
    body: { projects: items, applications: {}, integrations: {}, ...(next ? { pagination: { cursor: next } } : {}) },
  };
}

const P = "/projects/(?<project_id>[^/]+)";
const B = `${P}/branches/(?<branch_id>[^/]+)`;
const E = `${P}/endpoints/(?<endpoint_id>[^/]+)`;
const route = (method: string, path: string, operationId: string, handle: Route["handle"]): Route => ({
  method,
  path: new RegExp(`^${path}$`),
  operationId,
  handle,
});
const oneEndpoint = ({ project, params }: RouteContext): RouteResult => {
  const { branch, endpoint } = endpointOf(project, params.endpoint_id as string);
  return { status: 200, body: { endpoint: endpointView(project, branch, endpoint) } };
};

/** The subset of Neon's API that Lifeboat and neonctl's project, branch and connection commands use. Paths are relative to /api/v2. */
export const ROUTES: Route[] = [
  route("GET", "/projects", "listProjects", sync(listProjects)),
  // Before the project routes: "shared" is not a project id.
  route(
    "GET",
    "/projects/shared",
    "listSharedProjects",
    sync(() => ({ status: 200, body: { projects: [] } })),
  ),
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
  route("PATCH", B, "updateProjectBranch", updateBranch),
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
  route("GET", E, "getProjectEndpoint", sync(oneEndpoint)),
  route("POST", `${E}/start`, "startProjectEndpoint", startEndpoint),
  route("POST", `${E}/suspend`, "suspendProjectEndpoint", suspendEndpoint),
];
