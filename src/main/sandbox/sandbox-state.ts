import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { LifeboatError } from "../../shared/errors.ts";
import { writeFileAtomic } from "../config/write-file-atomic.ts";

// Everything the sandbox must remember across restarts, in one JSON file next to the clusters. Paths are relative
// to the sandbox folder, so the folder can be moved. The file holds the sandbox's own database passwords (as Neon
// stores role passwords), so it is written 0600.

export interface BaseBackupRecord {
  id: string;
  /** Relative to the sandbox folder. */
  dir: string;
  tli: number;
  startLsn: string;
  /** At or after the backup's end: replay from here on is consistent. */
  endLsn: string;
  endTime: string;
}

export type EndpointState = "init" | "active" | "idle";

export interface EndpointRecord {
  id: string;
  port: number;
  state: EndpointState;
  pendingState?: EndpointState;
  /** The compute was lost (the db-loss and server-failure incidents): it stays down until the branch is restored. */
  lost?: boolean;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  suspendedAt?: string;
}

export interface BranchRecord {
  id: string;
  name: string;
  parentId?: string;
  parentLsn?: string;
  parentTimestamp?: string;
  default: boolean;
  protected: boolean;
  currentState: "init" | "ready" | "resetting";
  pendingState?: "ready";
  stateChangedAt: string;
  createdAt: string;
  updatedAt: string;
  lastResetAt?: string;
  /** Why Neon would refuse to delete it, beyond the general rules (the original root after a restore from elsewhere). */
  undeletable?: string;
  /** The role's password on this branch when it differs from the project's (branches made from protected ones). */
  rolePassword?: string;
  /** The data directory, relative to the sandbox folder; absent until the branch's data exists. */
  dataDir?: string;
  /** The PostgreSQL timeline the data directory is on: its history is this timeline and its ancestors. */
  tli?: number;
  /** Where the WAL of a stopped cluster ends, all of it archived; cleared when it runs again. */
  stopped?: { lsn: string; at: string };
  endpoint?: EndpointRecord;
}

export interface OperationRecord {
  id: string;
  project_id: string;
  branch_id?: string;
  endpoint_id?: string;
  action: string;
  status: "scheduling" | "running" | "finished" | "failed" | "error";
  error?: string;
  failures_count: number;
  retry_at?: string;
  created_at: string;
  updated_at: string;
  total_duration_ms: number;
}

/** The Neon plans the sandbox can play (their limits: sandbox-plan.ts). */
export type SandboxPlan = "free" | "launch" | "scale";

export type IncidentKind =
  | "bulk-delete"
  | "drop-column"
  | "db-loss"
  | "bad-update"
  | "mixed"
  | "server-failure"
  | "app-error"
  | "ransomware"
  | "region-outage";

export interface IncidentRecord {
  kind: IncidentKind;
  branchId: string;
  /** Server clock when the incident's transaction began (microseconds). */
  startedAt: string;
  /** Server clock once it was committed (or the compute was gone). */
  finishedAt: string;
  /** The last whole second at which the data was still good: the recovery point for the runbooks. */
  lastGoodSecond: string;
  /** bad-update, mixed and app-error: a whole second after the incident ended and before the later writes (the damaged state). */
  damagedSecond?: string;
  summary: string;
  details: Record<string, unknown>;
}

export interface SandboxState {
  version: 1;
  project: {
    id: string;
    name: string;
    createdAt: string;
    historyRetentionSeconds: number;
    pgVersion: number;
    /** Absent in sandboxes made before plans existed: those play Launch. */
    plan?: SandboxPlan;
    /** Overrides the plan's cap on history (tests of the Free plan's 1 GB cap use a small one). */
    historyCapBytes?: number;
    /** The region-outage incident: since then the API answers 503 for the project (until --reset). */
    regionOutageSince?: string;
  };
  binDir: string;
  fast: boolean;
  superuser: { name: string; password: string };
  role: { name: string; password: string };
  database: { name: string; id: number; createdAt: string };
  apiPort?: number;
  /** The connection proxy's port, kept so connection strings handed out earlier keep working. */
  proxyPort?: number;
  baseBackups: BaseBackupRecord[];
  branches: BranchRecord[];
  operations: OperationRecord[];
  incidents: IncidentRecord[];
}

export const STATE_FILE = "sandbox-state.json";

export async function loadState(dir: string): Promise<SandboxState | null> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  let state: SandboxState;
  try {
    state = JSON.parse(text) as SandboxState;
  } catch {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `the sandbox state file ${join(dir, STATE_FILE)} is not valid JSON`,
      "Start over with `lifeboat sandbox --reset` (this deletes the sandbox's data).",
    );
  }
  if (state.version !== 1 || !state.project?.id || !Array.isArray(state.branches)) {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `the sandbox state file ${join(dir, STATE_FILE)} is not one this version of Lifeboat understands`,
      "Start over with `lifeboat sandbox --reset` (this deletes the sandbox's data).",
    );
  }
  return state;
}

export async function saveState(dir: string, state: SandboxState): Promise<void> {
  await writeFileAtomic(join(dir, STATE_FILE), JSON.stringify(state, null, 2) + "\n", 0o600);
}
