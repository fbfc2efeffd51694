import { z } from "zod";
import { ErrorInfo } from "../../errors.ts";
import { SecretRef } from "../../secret-ref.ts";
import { channel, IsoTime, OperationId, ProfileName } from "../common-schemas.ts";
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

const BranchRef = z.string().min(1).max(128);

export const neonChannels = {
  "neon.status": channel({
    doc: "The project's history window (retention, earliest restorable time), PostgreSQL version, default branch, compute state; warns when the window is shorter than the profile requires.",
    request: z.object({ profile: ProfileName }).strict(),
    result: NeonStatus,
  }),
  "neon.recoverTo": channel({
    doc:
      "Creates a recovery branch (read_write compute) at a point in time and waits for Neon's operations to finish. " +
      "Its connection URI stays in the main process (it holds a password); use the branch id in forensics.* and restore.",
    long: true,
    request: z
      .object({
        profile: ProfileName,
        point: PointInTime,
        branchName: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,64}$/)
          .optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: RecoverToResult,
  }),
  "neon.snapshot": channel({
    doc: "An emergency snapshot of the default branch's head: a branch named emergency-YYYYMMDD-HHMMSS (or Neon's snapshot API where supported).",
    long: true,
    request: z.object({ profile: ProfileName, operationId: OperationId.optional() }).strict(),
    result: SnapshotResult,
  }),
  "neon.restore": channel({
    doc:
      "Restores a branch in place from a point in time or another branch (restoreProjectBranch with preserve_under_name, so the old state is kept). " +
      "DESTRUCTIVE: `confirm` must equal the branch's name.",
    long: true,
    request: z
      .object({
        profile: ProfileName,
        branch: BranchRef,
        source: z.union([PointInTime, z.object({ branch: BranchRef }).strict()]),
        preserveUnderName: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,64}$/)
          .optional(),
        confirm: z.string().max(128),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: RestoreInPlaceResult,
  }),
  "neon.branches": channel({
    doc: "The project's branches; `lifeboat` marks those Lifeboat made and may delete.",
    request: z.object({ profile: ProfileName }).strict(),
    result: z.object({ branches: z.array(NeonBranch) }),
  }),
  "neon.deleteBranch": channel({
    doc: "Deletes a branch Lifeboat made. The default branch and protected branches are refused.",
    request: z.object({ profile: ProfileName, branch: BranchRef }).strict(),
    result: DeleteBranchResult,
  }),
};

export const drillChannels = {
  "drill.neon": channel({
    doc: "The weekly backup test: a branch at `offset` ago (default 24 hours), connectivity, key-table row counts compared with earlier runs, branch deleted; PASS/FAIL with each phase's time, journaled.",
    long: true,
    request: z
      .object({
        profile: ProfileName,
        offset: z.string().max(64).optional(),
        tables: z.array(z.string().min(1).max(200)).max(100).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    // The stopping error's details stay in the journal; the console gets its code, message and hint.
    result: DrillResult.extend({ error: ErrorInfo.omit({ details: true }).optional() }),
  }),
};

/**
 * The database forensics reads from: a Neon branch of the profile's project, another profile's database, or a secret
 * (keychain:NAME / env:VAR) holding a full postgresql:// URI, e.g. a recovery branch saved by `neon recover-to --save-uri`.
 */
export const ForensicsSource = z.union([
  z.object({ kind: z.literal("neon-branch"), branch: BranchRef }).strict(),
  z.object({ kind: z.literal("profile"), profile: ProfileName }).strict(),
  z.object({ kind: z.literal("secret"), ref: SecretRef }).strict(),
]);
export type ForensicsSource = z.infer<typeof ForensicsSource>;

export const TableName = z.string().min(1).max(200);

export const forensicsChannels = {
  "forensics.audit": channel({
    doc: "Bursts of DELETE/UPDATE per table and time bucket in the audit table; suggests the last good second as the recovery point.",
    request: z
      .object({
        profile: ProfileName,
        auditTable: TableName.optional(),
        since: IsoTime.optional(),
        until: IsoTime.optional(),
        bucketSeconds: z.number().int().min(1).max(86400).optional(),
      })
      .strict(),
    result: z.object({
      bursts: z.array(z.object({ table: z.string(), action: z.string(), bucketStart: z.string(), count: z.number() })),
      firstBadAt: z.string().optional(),
      suggestedRecoveryPoint: z.string().optional(),
      /** The tables of the bursts that make up the incident: what a repair plan starts from. */
      incidentTables: z.array(z.string()).optional(),
      lastBadAt: z.string().optional(),
      /** A whole second after the incident's last event (a second to spare for its commit): the damaged state of a repair plan. */
      suggestedDamagedPoint: z.string().optional(),
    }),
  }),
  "forensics.diff": channel({
    doc: "Compares one table between the source (recovery branch) and production by primary key, streamed in keyset order: rows missing from production, rows changed, counts.",
    long: true,
    request: z
      .object({
        profile: ProfileName,
        source: ForensicsSource,
        table: TableName,
        fullRow: z.boolean().optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      table: z.string(),
      primaryKey: z.array(z.string()),
      counts: z.object({ source: z.number(), production: z.number() }),
      missing: z.number(),
      changed: z.number(),
      extra: z.number(),
      /** At most 100 of each, for the operator to inspect. */
      sampleMissing: z.array(z.record(z.string(), z.unknown())),
      sampleChanged: z.array(z.record(z.string(), z.unknown())),
    }),
  }),
  "forensics.copy": channel({
    doc: "Copies rows missing from production back from the source in one transaction (ON CONFLICT DO NOTHING). Dry run first; a real copy needs `confirm` equal to the production database name.",
    long: true,
    request: z
      .object({
        profile: ProfileName,
        source: ForensicsSource,
        table: TableName,
        /** Primary-key values of the rows to copy (each an array in key-column order); all missing rows when absent. */
        keys: z
          .array(z.array(z.union([z.string(), z.number()])))
          .max(100000)
          .optional(),
        dryRun: z.boolean(),
        confirm: z.string().max(128).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      table: z.string(),
      dryRun: z.boolean(),
      rows: z.number(),
      before: z.number(),
      after: z.number(),
    }),
  }),
  "forensics.schemaDiff": channel({
    doc: "Tables and columns present in the source but dropped from production.",
    request: z.object({ profile: ProfileName, source: ForensicsSource }).strict(),
    result: z.object({
      droppedTables: z.array(z.string()),
      droppedColumns: z.array(z.object({ table: z.string(), column: z.string(), type: z.string() })),
    }),
  }),
  "forensics.restoreDropped": channel({
    doc: "Restores a dropped column's values (by primary key) or a dropped table from the source. Dry run first; a real run needs `confirm` equal to the production database name.",
    long: true,
    request: z
      .object({
        profile: ProfileName,
        source: ForensicsSource,
        table: TableName,
        column: z.string().min(1).max(200).optional(),
        dryRun: z.boolean(),
        confirm: z.string().max(128).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({ table: z.string(), column: z.string().optional(), dryRun: z.boolean(), rows: z.number() }),
  }),
};
