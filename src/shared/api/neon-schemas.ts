// What the engine's Neon operations and the weekly backup test return: the one declaration the engine's types are
// inferred from and the channels (neon-channels.ts) answer with. Connection URIs are never part of these shapes: they
// hold a password and stay in the main process.
import { z } from "zod";
import { ErrorInfo } from "../errors.ts";

/** How far back Neon can take the project right now. */
export const NeonWindow = z.object({
  /** The earliest restorable time: now − history_retention_seconds, never before the project was created. */
  start: z.string(),
  end: z.string(),
  retentionSeconds: z.number(),
  /** The required window in seconds: neon.requiredRecoveryWindowHours, or what the plan allows. */
  requiredSeconds: z.number(),
  /** History that exists now: the window, or less in a project younger than its window. */
  availableSeconds: z.number().optional(),
  /** The project is younger than its window: information, not a shortfall. */
  young: z.boolean().optional(),
  /** The plan assumed ("Launch", "Free", … or "unknown"). */
  plan: z.string().optional(),
  /** Why requiredSeconds is what it is. */
  requiredSource: z.string().optional(),
});
export type NeonWindow = z.infer<typeof NeonWindow>;

export const NeonBranch = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().optional(),
  parentName: z.string().optional(),
  parentTimestamp: z.string().optional(),
  parentLsn: z.string().optional(),
  createdAt: z.string(),
  state: z.string(),
  default: z.boolean(),
  protected: z.boolean(),
  /** Made by Lifeboat (recovery-*, backup-test-*, emergency-*): the only branches it will delete. */
  lifeboat: z.boolean(),
  /** The state of its read-write compute (active, idle, init); absent without one. */
  computeState: z.string().optional(),
});
export type NeonBranch = z.infer<typeof NeonBranch>;

export const NeonCompute = z.object({
  id: z.string(),
  type: z.string(),
  state: z.string(),
  pendingState: z.string().optional(),
  host: z.string(),
  lastActive: z.string().optional(),
  suspendedAt: z.string().optional(),
});
export type NeonCompute = z.infer<typeof NeonCompute>;

export const NeonStatus = z.object({
  projectId: z.string(),
  projectName: z.string(),
  apiHost: z.string(),
  regionId: z.string(),
  pgVersion: z.number(),
  historyRetentionSeconds: z.number(),
  window: NeonWindow,
  requiredSeconds: z.number(),
  /** The window setting is shorter than required: a warning, with what the plan allows. */
  windowShort: z.boolean(),
  plan: z.object({
    name: z.string(),
    subscriptionType: z.string().optional(),
    maxRetentionSeconds: z.number().optional(),
  }),
  defaultBranch: z.object({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    createdAt: z.string(),
    logicalSizeBytes: z.number().optional(),
    protected: z.boolean(),
    /** When the branch was last restored (Neon's last_reset_at). */
    lastResetAt: z.string().optional(),
  }),
  /** State of the default branch's read-write compute (active, idle, init), if it has one. */
  computeState: z.string().optional(),
  computes: z.array(NeonCompute),
  branchCount: z.number(),
  checkedAt: z.string(),
  /** Needs doing. */
  warnings: z.array(z.string()),
  /** Good to know: the plan assumed, a project younger than its window, an idle compute, an earlier restore. */
  notes: z.array(z.string()),
});
export type NeonStatus = z.infer<typeof NeonStatus>;

const BranchNameId = z.object({ id: z.string(), name: z.string() });

/** A recovery branch at a point in time. The engine's result also carries the connection, which never leaves main. */
export const RecoverToResult = z.object({
  branch: NeonBranch,
  /** Set for a time (ISO, UTC), or `lsn` for an LSN. */
  pointInTime: z.string().optional(),
  lsn: z.string().optional(),
  /** What the operator typed ("1 hour ago"). */
  input: z.string(),
  /** The read-write compute's host (no credentials). */
  host: z.string(),
  endpointId: z.string(),
  database: z.string(),
  role: z.string(),
  durationMs: z.number(),
  operationsWaited: z.number(),
  /** "keychain:NAME" when the URI was stored there. */
  savedUriAs: z.string().optional(),
  /** Whose data the branch holds: "main as of …", or what an earlier restore of the parent brought back. */
  holds: z.string(),
  /** Things the operator must know (a point before an earlier restore of the parent). */
  warnings: z.array(z.string()),
  /** When Neon's answer to the create was lost: what showed the branch had been made. */
  reconciled: z.array(z.string()).optional(),
});
export type RecoverToResult = z.infer<typeof RecoverToResult>;

export const SnapshotResult = z.object({
  method: z.enum(["branch", "snapshot"]),
  /** The emergency branch; for Neon's snapshot API, the snapshot described in the same shape (its id is the snapshot's). */
  branch: NeonBranch,
  snapshot: BranchNameId.optional(),
  source: BranchNameId,
  takenAt: z.string(),
  durationMs: z.number(),
  /** Why auto fell back to a branch. */
  fallbackReason: z.string().optional(),
});
export type SnapshotResult = z.infer<typeof SnapshotResult>;

export const RestoreInPlaceResult = z.object({
  /** The restored branch (same id and name, new data). */
  branch: NeonBranch,
  source: BranchNameId,
  pointInTime: z.string().optional(),
  lsn: z.string().optional(),
  /** The branch now holding the state from before the restore. */
  preservedAs: z.string(),
  preservedId: z.string().optional(),
  /** What the operator typed, when it was relative ("30 minutes ago"); pointInTime is what it was fixed at. */
  input: z.string().optional(),
  durationMs: z.number(),
  operationsWaited: z.number(),
  /** When Neon's answer to the request was lost: what showed the restore had been accepted. */
  reconciled: z.array(z.string()).optional(),
  /** Things the operator must know (a point before an earlier restore of the source). */
  warnings: z.array(z.string()),
});
export type RestoreInPlaceResult = z.infer<typeof RestoreInPlaceResult>;

export const DeleteBranchResult = z.object({
  /** The branch's name. */
  branch: z.string(),
  id: z.string(),
  deleted: z.literal(true),
  operationsWaited: z.number(),
});
export type DeleteBranchResult = z.infer<typeof DeleteBranchResult>;

export const DRILL_PHASES = ["create", "connect", "count", "compare", "delete"] as const;

export const DrillPhase = z.object({
  name: z.enum(DRILL_PHASES),
  ok: z.boolean(),
  durationMs: z.number(),
  detail: z.string().optional(),
});
export type DrillPhase = z.infer<typeof DrillPhase>;

/** A key table's exact count on the test branch (null: no such table), and the last passing run's. */
export const DrillCount = z.object({
  table: z.string(),
  rows: z.number().nullable(),
  previous: z.number().nullable().optional(),
});
export type DrillCount = z.infer<typeof DrillCount>;

/** The weekly backup test's PASS or FAIL, and why. */
export const DrillResult = z.object({
  pass: z.boolean(),
  profile: z.string(),
  branch: z.string().optional(),
  branchId: z.string().optional(),
  /** The moment the test branch holds (UTC). */
  pointInTime: z.string().optional(),
  /** "24 h": how far back that was. */
  offset: z.string(),
  /** Why that offset: --offset, the profile, or what the plan and the project's age allow. */
  offsetSource: z.string().optional(),
  phases: z.array(DrillPhase),
  counts: z.array(DrillCount),
  /** The passing run the counts were compared with. */
  baseline: z.object({ seq: z.number(), ts: z.string() }).optional(),
  /** Why the test did not pass: counts that dropped, tables that could not be counted. */
  failures: z.array(z.string()),
  /** What did not fail the test but needs doing, e.g. a test branch that could not be deleted. */
  warnings: z.array(z.string()),
  /** The error that stopped the test before it could finish. */
  error: ErrorInfo.optional(),
  durationMs: z.number(),
});
export type DrillResult = z.infer<typeof DrillResult>;
