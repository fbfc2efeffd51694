import { z } from "zod";
import { ErrorInfo } from "../../errors.ts";
import { channel, OperationId, ProfileName } from "../common-schemas.ts";
import {
  DeleteBranchResult,
  DrillResult,
  NeonBranch,
  NeonStatus,
  RecoverToResult,
  RestoreInPlaceResult,
  SnapshotResult,
} from "../neon-schemas.ts";

/**
 * A point in Neon's history: an ISO time, a relative time ("1 hour ago", "24 hours ago", parsed by Lifeboat), or an LSN.
 * Times outside the history window or in the future are refused before the API is called.
 */
export const PointInTime = z.union([
  z.object({ at: z.string().min(1).max(64) }).strict(),
  z
    .object({ lsn: z.string().regex(/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/, "is not an LSN (like 0/1A2B3C4)") })
    .strict(),
]);

export const BranchRef = z.string().min(1).max(128);
const BranchName = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "use 1-64 letters, digits and _ . -");
const KeychainEntry = z.string().regex(/^[A-Za-z0-9_.@/-]{1,128}$/, "use letters, digits and _ . @ / -");

/** What every Neon channel accepts: the profile whose neon section names the project, and how long to wait. */
export const NeonCall = {
  /** Default: the only profile configured. */
  profile: ProfileName.optional(),
  /** How long to keep retrying while Neon answers 423/429/503 (default 120 s). */
  maxWaitSeconds: z.number().positive().max(86400).optional(),
  /** Per-request timeout (default 30 s). */
  timeoutSeconds: z.number().positive().max(3600).optional(),
};

export const neonChannels = {
  "neon.status": channel({
    doc: "The project's history window (retention, earliest restorable time), PostgreSQL version, default branch, computes; warns when the window is shorter than the profile requires.",
    request: z.object(NeonCall).strict(),
    result: NeonStatus,
  }),
  "neon.recoverTo": channel({
    doc:
      "Creates a recovery branch (read_write compute) at a point in time and waits for Neon's operations to finish. " +
      "Its connection URI holds a password: it never crosses the API (`connection` is a placeholder). saveUriAs keeps it " +
      "in the OS keychain; showUri hands it only to a terminal that asked (--show-uri), never to a window; use the " +
      "branch in forensics.* and restore.",
    long: true,
    request: z
      .object({
        ...NeonCall,
        point: PointInTime,
        branchName: BranchName.optional(),
        /** Branch whose history is used (name or id); default the project's default branch. */
        parent: BranchRef.optional(),
        /** Keep the connection URI in the OS keychain under this entry name. */
        saveUriAs: KeychainEntry.optional(),
        showUri: z.boolean().optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: RecoverToResult.extend({
      /** Whatever the engine holds there, only this placeholder crosses: the URI has a password. */
      connection: z
        .unknown()
        .transform((): "[connection URI hidden]" => "[connection URI hidden]")
        .optional(),
    }),
  }),
  "neon.snapshot": channel({
    doc: "An emergency snapshot of a branch's head (default the project's default branch): a branch named emergency-YYYYMMDD-HHMMSS with no compute, or Neon's snapshot API (method snapshot; auto falls back to a branch).",
    long: true,
    request: z
      .object({
        ...NeonCall,
        name: BranchName.optional(),
        method: z.enum(["branch", "snapshot", "auto"]).optional(),
        branch: BranchRef.optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: SnapshotResult,
  }),
  "neon.restore": channel({
    doc:
      "Restores a branch (default the project's default branch) in place, to a point in its own history or from another " +
      "branch (its head, or a point in it), keeping the old state as preserveUnderName. DESTRUCTIVE: without `confirm` " +
      "equal to the branch's name nothing is sent (CONFIRMATION_REQUIRED).",
    long: true,
    request: z
      .object({
        ...NeonCall,
        branch: BranchRef.optional(),
        source: z
          .union([PointInTime, z.object({ branch: BranchRef, at: z.string().min(1).max(64).optional() }).strict()])
          .optional(),
        preserveUnderName: BranchName.optional(),
        confirm: z.string().max(128).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: RestoreInPlaceResult,
  }),
  "neon.branches": channel({
    doc: "The project's branches; `lifeboat` marks those Lifeboat made and may delete.",
    request: z.object(NeonCall).strict(),
    result: z.object({ branches: z.array(NeonBranch) }),
  }),
  "neon.connectionString": channel({
    doc:
      "A branch's connection string (direct, or through its pooler), for the operator who pressed a copy button: the runbook's " +
      "manual commands (psql, pg_dump) need it. The one channel whose result carries a password: returned only for this " +
      "explicit request, the reveal journaled with the branch but never the URI; the console copies it to the clipboard " +
      "and keeps it nowhere.",
    revealsSecret: true,
    request: z.object({ ...NeonCall, branch: BranchRef, pooled: z.boolean().optional() }).strict(),
    result: z.object({
      branch: z.string(),
      pooled: z.boolean(),
      uri: z.string(),
      /** Marks an answer that carries a secret on purpose (the leak tests look for every other one). */
      revealed: z.literal(true),
    }),
  }),
  "neon.deleteBranch": channel({
    doc: "Deletes a branch Lifeboat made (recovery-*, backup-test-*, emergency-*). The default branch, protected branches and branches with children are refused.",
    request: z.object({ ...NeonCall, branch: BranchRef }).strict(),
    result: DeleteBranchResult,
  }),
};

export const drillChannels = {
  "drill.neon": channel({
    doc: "The weekly backup test: a branch at `offset` ago (default the profile's drill.offsetHours), connectivity, key-table row counts compared with the last passing run (a drop beyond maxDropPercent fails), branch deleted; PASS/FAIL with each phase's time, journaled.",
    long: true,
    request: z
      .object({
        ...NeonCall,
        offset: z.string().max(64).optional(),
        tables: z.array(z.string().min(1).max(200)).max(100).optional(),
        maxDropPercent: z.number().min(0).max(100).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    // The stopping error's details stay in the journal; the console gets its code, message and hint.
    result: DrillResult.extend({ error: ErrorInfo.omit({ details: true }).optional() }),
  }),
};
