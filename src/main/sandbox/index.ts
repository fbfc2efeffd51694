// The local Neon sandbox: Neon's API (the subset Lifeboat uses) backed by real PostgreSQL point-in-time recovery.
export { resetSandbox, startSandbox, type Sandbox, type SandboxOptions } from "./sandbox.ts";
export { defaultSandboxDir } from "./sandbox-layout.ts";
export { INCIDENT_KINDS, type IncidentOptions } from "./incidents.ts";
export type { IncidentKind, IncidentRecord } from "./sandbox-state.ts";
export { API_BASE, type ApiRequestLog } from "./api-server.ts";
export type { RecoveryTimings } from "./point-in-time-recovery.ts";
