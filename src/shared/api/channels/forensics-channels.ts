import { z } from "zod";
import { channel, IsoTime, OperationId, ProfileName } from "../common-schemas.ts";
import { SecretRef } from "../../secret-ref.ts";
import { BranchRef } from "./neon-channels.ts";

/**
 * One model of "a database" for forensics, on either side: a profile's database, a secret (keychain:/env:) holding a
 * full postgresql:// URI (a recovery branch saved by neon.recoverTo's saveUriAs), or a branch of the profile's Neon
 * project. A URI never travels in a request: it has a password.
 */
export const DatabaseRef = z.union([
  z.object({ kind: z.literal("profile"), profile: ProfileName }).strict(),
  z.object({ kind: z.literal("secret"), ref: SecretRef }).strict(),
  z.object({ kind: z.literal("neon-branch"), branch: BranchRef }).strict(),
]);
export type DatabaseRef = z.infer<typeof DatabaseRef>;

/** Production, and the profile forensics works for (default the only one): its Neon project, its journal records. */
const ProductionSide = {
  profile: ProfileName.optional(),
  /** Production when it is not the profile's own database. */
  production: DatabaseRef.optional(),
};

/** Both sides: production, and the recovery branch compared with it (the source of truth). */
const BothSides = { ...ProductionSide, source: DatabaseRef };

export const TableName = z.string().min(1).max(200);
const SqlFilter = z.string().min(1).max(4000);
const BatchRows = z.number().int().min(1).max(100000);
const Sample = z.array(z.record(z.string(), z.unknown()));
const SequenceAdvance = z.object({
  column: z.string(),
  sequence: z.string(),
  nextBefore: z.string(),
  setTo: z.string(),
});
const Column = z.object({
  table: z.string(),
  column: z.string(),
  type: z.string(),
  notNull: z.boolean().optional(),
  default: z.string().nullable().optional(),
});

export const forensicsChannels = {
  "forensics.audit": channel({
    doc: "Bursts of DELETE/UPDATE per table and time bucket in production's audit table, ranked against each table's usual rate; suggests the last good second as the recovery point.",
    request: z
      .object({
        ...ProductionSide,
        auditTable: TableName.optional(),
        since: IsoTime.optional(),
        until: IsoTime.optional(),
        bucketSeconds: z.number().int().min(1).max(86400).optional(),
        /** Actions counted (default DELETE, UPDATE). */
        actions: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
        /** Column names of the audit table (default action, tableName, recordId, timestamp). */
        columns: z
          .object({
            action: z.string().min(1).max(200).optional(),
            tableName: z.string().min(1).max(200).optional(),
            recordId: z.string().min(1).max(200).optional(),
            timestamp: z.string().min(1).max(200).optional(),
          })
          .strict()
          .optional(),
        /** Zone of a timestamp-without-time-zone column's values (default UTC). */
        timestampZone: z.string().min(1).max(64).optional(),
        /** Bursts listed (default 10). */
        top: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    result: z.object({
      /** Where production is (host and database, no credentials). */
      production: z.string(),
      auditTable: z.string(),
      window: z.object({ since: z.string(), until: z.string(), bucketSeconds: z.number(), buckets: z.number() }),
      events: z.number(),
      bursts: z.array(
        z.object({
          table: z.string(),
          action: z.string(),
          bucketStart: z.string(),
          bucketEnd: z.string(),
          count: z.number(),
          first: z.string(),
          last: z.string(),
          baselinePerBucket: z.number(),
          score: z.number(),
          anomalous: z.boolean(),
        }),
      ),
      /** The tables of the bursts that make up the incident: what a repair plan starts from. */
      incidentTables: z.array(z.string()),
      firstBadAt: z.string().optional(),
      suggestedRecoveryPoint: z.string().optional(),
      lastBadAt: z.string().optional(),
      /** A whole second after the incident's last event (a second to spare for its commit): the damaged state of a repair plan. */
      suggestedDamagedPoint: z.string().optional(),
      reasoning: z.array(z.string()),
    }),
  }),
  "forensics.diff": channel({
    doc: "Compares one table between the source (recovery branch) and production by primary key (or as whole rows), both streamed in keyset order: rows missing from production, changed, only in production.",
    long: true,
    request: z
      .object({
        ...BothSides,
        table: TableName,
        fullRow: z.boolean().optional(),
        /** SQL filter over the table's columns, applied on both sides. */
        where: SqlFilter.optional(),
        /** Example keys of each kind in the result (default 100). */
        sampleLimit: z.number().int().min(0).max(1000).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      table: z.string(),
      mode: z.enum(["primary-key", "full-row"]),
      primaryKey: z.array(z.string()),
      counts: z.object({ branch: z.number(), production: z.number() }),
      missingInProduction: z.number(),
      changed: z.number(),
      extraInProduction: z.number(),
      identical: z.number(),
      sampleMissing: Sample,
      sampleChanged: Sample,
      sampleExtra: Sample,
      columnsOnlyInBranch: z.array(z.string()),
      columnsOnlyInProduction: z.array(z.string()),
      where: z.string().optional(),
      durationMs: z.number(),
    }),
  }),
  "forensics.copy": channel({
    doc: "Copies rows missing from production back from the source in one transaction (ON CONFLICT DO NOTHING), moving serial sequences past them. Dry run first; a real copy needs `confirm` equal to the production database name.",
    long: true,
    request: z
      .object({
        ...BothSides,
        table: TableName,
        /** Primary-key values of the rows to copy (each an array in key-column order); all missing rows when absent. */
        keys: z
          .array(z.array(z.union([z.string(), z.number()])))
          .max(100000)
          .optional(),
        where: SqlFilter.optional(),
        batchRows: BatchRows.optional(),
        dryRun: z.boolean(),
        confirm: z.string().max(128).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      table: z.string(),
      dryRun: z.boolean(),
      primaryKey: z.array(z.string()),
      selection: z.object({
        kind: z.enum(["all-missing", "keys", "where"]),
        keys: z.number().optional(),
        where: z.string().optional(),
      }),
      branchSelected: z.number(),
      missingFound: z.number(),
      rows: z.number(),
      skippedExisting: z.number(),
      before: z.number(),
      after: z.number(),
      sequences: z.array(SequenceAdvance),
      columnsNotCopied: z.array(z.string()),
      sampleKeys: Sample,
      /** Production's database name: what `confirm` must say. */
      productionDatabase: z.string(),
      durationMs: z.number(),
    }),
  }),
  "forensics.schemaDiff": channel({
    doc: "Tables and columns the source has and production lost, type and nullability changes, and what production has new.",
    request: z.object(BothSides).strict(),
    result: z.object({
      droppedTables: z.array(z.string()),
      newTables: z.array(z.string()),
      droppedColumns: z.array(Column),
      newColumns: z.array(Column),
      typeChanges: z.array(
        z.object({ table: z.string(), column: z.string(), branchType: z.string(), productionType: z.string() }),
      ),
      nullabilityChanges: z.array(
        z.object({
          table: z.string(),
          column: z.string(),
          branchNotNull: z.boolean(),
          productionNotNull: z.boolean(),
        }),
      ),
      tablesCompared: z.number(),
    }),
  }),
  "forensics.restoreDropped": channel({
    doc: "Restores a dropped column (re-added, values refilled by primary key; the table is locked meanwhile) or, without `column`, a dropped table (keys, indexes, foreign keys, rows) from the source, in one transaction. Dry run first; a real run needs `confirm` equal to the production database name.",
    long: true,
    request: z
      .object({
        ...BothSides,
        table: TableName,
        column: z.string().min(1).max(200).optional(),
        batchRows: BatchRows.optional(),
        dryRun: z.boolean(),
        confirm: z.string().max(128).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.union([
      z.object({
        table: z.string(),
        column: z.string(),
        dryRun: z.boolean(),
        definition: z.string(),
        rows: z.number(),
        branchRows: z.number(),
        productionRows: z.number(),
        productionRowsNotOnBranch: z.number(),
        notNull: z.object({ onBranch: z.boolean(), applied: z.boolean(), nullsRemaining: z.number() }),
        notes: z.array(z.string()),
        productionDatabase: z.string(),
        durationMs: z.number(),
      }),
      z.object({
        table: z.string(),
        dryRun: z.boolean(),
        rows: z.number(),
        branchRows: z.number(),
        statements: z.array(z.string()),
        skipped: z.array(z.object({ sql: z.string(), error: z.string() })),
        sequences: z.array(SequenceAdvance),
        notRestored: z.array(z.string()),
        productionDatabase: z.string(),
        durationMs: z.number(),
      }),
    ]),
  }),
};
