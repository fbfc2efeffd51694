import { planOfSandbox } from "./sandbox-plan.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord, EndpointRecord, OperationRecord } from "./sandbox-state.ts";

// The JSON bodies of Neon's API (public-v2-for-users.gen.yaml), built from the sandbox's state. Usage counters a
// sandbox does not meter are 0. Host names follow Neon's pattern under .localhost (ep-….localhost, its pooler
// ep-…-pooler.localhost): they reach the sandbox's proxy where .localhost resolves, and psql elsewhere with
// PGHOSTADDR=127.0.0.1; the connection URIs the API hands out name 127.0.0.1 and the endpoint in `options`.

export const PROXY_HOST = "localhost";
export const endpointHost = (endpointId: string, pooled = false) =>
  `${endpointId}${pooled ? "-pooler" : ""}.${PROXY_HOST}`;
const REGION = "local-sandbox";

/** Neon writes timestamps to the second: "2022-11-23T17:42:25Z". */
export function neonTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, "Z");
}

export function branchView(p: SandboxProject, b: BranchRecord): Record<string, unknown> {
  return {
    id: b.id,
    project_id: p.id,
    ...(b.parentId ? { parent_id: b.parentId } : {}),
    ...(b.parentLsn ? { parent_lsn: b.parentLsn } : {}),
    ...(b.parentTimestamp ? { parent_timestamp: b.parentTimestamp } : {}),
    name: b.name,
    current_state: b.currentState,
    ...(b.pendingState ? { pending_state: b.pendingState } : {}),
    state_changed_at: neonTime(b.stateChangedAt),
    creation_source: "console",
    primary: b.default,
    default: b.default,
    protected: b.protected,
    cpu_used_sec: 0,
    compute_time_seconds: 0,
    active_time_seconds: 0,
    written_data_bytes: 0,
    data_transfer_bytes: 0,
    created_at: neonTime(b.createdAt),
    updated_at: neonTime(b.updatedAt),
    ...(b.lastResetAt ? { last_reset_at: neonTime(b.lastResetAt) } : {}),
    init_source: "parent-data",
    ...(restrictions(b).length ? { restricted_actions: restrictions(b) } : {}),
  };
}

/** What Neon would refuse on this branch right now, and why (Branch.restricted_actions). */
export function restrictions(b: BranchRecord): Array<{ name: string; reason: string }> {
  const out: Array<{ name: string; reason: string }> = [];
  if (b.protected && b.endpoint)
    out.push({ name: "delete-rw-endpoint", reason: "computes of a protected branch cannot be deleted" });
  if (b.currentState === "resetting") out.push({ name: "restore", reason: "the branch is being restored" });
  return out;
}

export function endpointView(p: SandboxProject, b: BranchRecord, e: EndpointRecord): Record<string, unknown> {
  return {
    host: endpointHost(e.id),
    id: e.id,
    project_id: p.id,
    branch_id: b.id,
    autoscaling_limit_min_cu: 0.25,
    autoscaling_limit_max_cu: 0.25,
    region_id: REGION,
    type: "read_write",
    current_state: e.state,
    ...(e.pendingState ? { pending_state: e.pendingState } : {}),
    settings: { pg_settings: {} },
    pooler_enabled: true,
    pooler_mode: "transaction",
    disabled: false,
    passwordless_access: false,
    ...(e.startedAt ? { last_active: neonTime(e.startedAt), started_at: neonTime(e.startedAt) } : {}),
    ...(e.suspendedAt ? { suspended_at: neonTime(e.suspendedAt) } : {}),
    creation_source: "console",
    created_at: neonTime(e.createdAt),
    updated_at: neonTime(e.updatedAt),
    proxy_host: PROXY_HOST,
    // -1: never suspended by inactivity (a paid-plan setting); POST …/suspend suspends it on demand.
    suspend_timeout_seconds: -1,
    provisioner: "k8s-pod",
  };
}

export function projectView(p: SandboxProject, now = new Date()): Record<string, unknown> {
  const s = p.state;
  const plan = planOfSandbox(s.project.plan);
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return {
    id: s.project.id,
    platform_id: "local",
    region_id: REGION,
    name: s.project.name,
    provisioner: "k8s-pod",
    pg_version: s.project.pgVersion,
    proxy_host: PROXY_HOST,
    branch_logical_size_limit: 0,
    branch_logical_size_limit_bytes: 0,
    store_passwords: true,
    cpu_used_sec: 0,
    compute_time_seconds: 0,
    active_time_seconds: 0,
    written_data_bytes: 0,
    data_transfer_bytes: 0,
    data_storage_bytes_hour: 0,
    creation_source: "lifeboat-sandbox",
    // The setting, as Neon reports it; a client learns how much history exists from created_at.
    history_retention_seconds: s.project.historyRetentionSeconds,
    created_at: neonTime(p.historyStart().toISOString()),
    updated_at: neonTime(s.project.createdAt),
    consumption_period_start: neonTime(monthStart.toISOString()),
    consumption_period_end: neonTime(monthEnd.toISOString()),
    owner_id: "lifeboat-sandbox",
    owner: {
      email: "sandbox@lifeboat.invalid",
      name: "Lifeboat sandbox",
      branches_limit: plan.branchesLimit,
      subscription_type: plan.subscriptionType,
    },
    settings: { allowed_ips: { ips: [], protected_branches_only: false } },
    default_endpoint_settings: {
      autoscaling_limit_min_cu: 0.25,
      autoscaling_limit_max_cu: 0.25,
      suspend_timeout_seconds: -1,
    },
  };
}

export function operationView(op: OperationRecord): Record<string, unknown> {
  return { ...op, created_at: neonTime(op.created_at), updated_at: neonTime(op.updated_at) };
}

export function databaseView(p: SandboxProject, b: BranchRecord): Record<string, unknown> {
  const d = p.state.database;
  return {
    id: d.id,
    branch_id: b.id,
    name: d.name,
    owner_name: p.state.role.name,
    created_at: neonTime(d.createdAt),
    updated_at: neonTime(d.createdAt),
  };
}

export function roleView(p: SandboxProject, b: BranchRecord): Record<string, unknown> {
  return {
    branch_id: b.id,
    name: p.state.role.name,
    protected: false,
    authentication_method: "password",
    created_at: neonTime(p.state.database.createdAt),
    updated_at: neonTime(p.state.database.createdAt),
  };
}

/** connection_uris of a created branch: Neon lists one when the branch has an endpoint, one database and one role. */
export function connectionUris(p: SandboxProject, b: BranchRecord): Record<string, unknown>[] {
  const uri = p.connectionUri(b);
  if (!uri) return [];
  const s = p.state;
  return [
    {
      connection_uri: uri,
      connection_parameters: {
        database: s.database.name,
        password: p.rolePassword(b),
        role: s.role.name,
        host: endpointHost(b.endpoint!.id),
        pooler_host: endpointHost(b.endpoint!.id, true),
      },
    },
  ];
}
