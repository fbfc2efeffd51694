import { z } from "zod";
import { BackupManifest } from "../../manifest.ts";
import { BackupLockState } from "./protection-channels.ts";
import { BackupCopies, ReplicaOutcome } from "./replica-channels.ts";
import { BackupId, channel, Check, DatabaseName, OperationId, ProfileName } from "../common-schemas.ts";

/** A store's backups of one profile. */
export const BackupCatalog = z.object({
  /** Committed backups (a valid manifest), newest first. Only these are restorable. */
  backups: z.array(BackupManifest),
  /** Folders with objects but no manifest: runs that never committed. Never offered for restore. */
  incomplete: z.array(z.object({ dir: z.string(), keys: z.array(z.string()), bytes: z.number() })),
  /** Manifests that exist but do not parse. */
  invalid: z.array(z.object({ key: z.string(), error: z.string() })),
});
export type BackupCatalog = z.infer<typeof BackupCatalog>;

/** One table's row count after a restore (or in a verified archive) against the manifest's; actual null: no such table. */
export const TableComparison = z.object({
  table: z.string(),
  expected: z.number(),
  actual: z.number().nullable(),
  ok: z.boolean(),
});
export type TableComparison = z.infer<typeof TableComparison>;

/** A deep verify: the backup restored into a throwaway database and every table counted there. */
export const DeepVerifyResult = z.object({
  scratch: z.enum(["local-cluster", "profile-scratch"]),
  database: z.string(),
  tables: z.array(TableComparison),
  durationMs: z.number(),
});
export type DeepVerifyResult = z.infer<typeof DeepVerifyResult>;

/** Which copy an operation read: the primary store or a replica, and why not the primary when it did not. */
export const CopyUsed = z.object({ name: z.string(), description: z.string(), fallback: z.string().optional() });
export type CopyUsed = z.infer<typeof CopyUsed>;
/** The backup's large objects, proven present (count and digest equal the manifest's). */
export const LargeObjectsProof = z.object({ count: z.number(), ok: z.literal(true) });

export const VerifyResult = z.object({
  id: z.string(),
  ok: z.literal(true),
  bytes: z.number(),
  sha256: z.string(),
  tables: z.array(TableComparison),
  /** The manifest's large objects, found whole in the archive (absent for manifests that did not record them). */
  largeObjects: LargeObjectsProof.optional(),
  deep: DeepVerifyResult.optional(),
  /** The computed outcome and its reason; a failed verify is an error instead, whose message is the reason. */
  verdict: z.object({ pass: z.literal(true), reason: z.string() }),
  durationMs: z.number(),
  /** Which copy was read (set by the engine; optional for older engines and fakes). */
  source: CopyUsed.optional(),
  /** The backup's Object Lock in that store, as the store reports it. */
  lock: BackupLockState.optional(),
  /** Where the evidence of this pass was left for retention (proven restorable), or why it could not be. */
  evidence: z.union([z.object({ key: z.string() }), z.object({ error: z.string() })]).optional(),
  /** What failed after the verify without undoing it (its end could not be journaled). */
  warnings: z.array(z.string()).optional(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;

export const RestoreResult = z.object({
  id: z.string(),
  database: z.string(),
  host: z.string(),
  created: z.boolean(),
  tables: z.array(TableComparison),
  rows: z.number(),
  jobs: z.number(),
  durationMs: z.number(),
  /** Needs the operator but did not fail the restore: staging databases left by earlier restores. */
  warnings: z.array(z.string()),
  source: CopyUsed.optional(),
  /** Only the schema was restored: the counts prove every table exists and is empty, not the backup's rows. */
  schemaOnly: z.boolean().optional(),
  /** With schemaOnly: rows the backup holds for these tables, none of which were restored. */
  rowsNotRestored: z.number().optional(),
  /** The backup's large objects, proven present (count and digest) after a full restore. */
  largeObjects: LargeObjectsProof.optional(),
});
export type RestoreResult = z.infer<typeof RestoreResult>;

/**
 * How to reach the restored database, to copy into an application's settings or psql: the target server as the
 * profile configures it, with the password as its reference (never its value).
 */
export const NewDatabaseConnection = z.object({
  profile: z.string(),
  host: z.string(),
  port: z.number(),
  database: z.string(),
  user: z.string(),
  sslmode: z.string(),
  passwordRef: z.string().optional(),
  /** postgresql://user@host:port/database?sslmode=… (no password: it stays in the keychain or environment). */
  uri: z.string(),
});
export type NewDatabaseConnection = z.infer<typeof NewDatabaseConnection>;

/** A restore as the channel answers it: with the new database's connection details. */
export const RunRestoreResult = RestoreResult.extend({ connection: NewDatabaseConnection });
export type RunRestoreResult = z.infer<typeof RunRestoreResult>;

/** The profile to work on; without one, the only profile configured (several configured: a clear error). */
const ProfileChoice = ProfileName.optional();

/** An age identity file's text (AGE-SECRET-KEY-1… lines), used instead of the profile's identity reference. Write-only. */
const IdentityText = z.string().min(1).max(16384);

const StoreName = z.string().min(1).max(64);

export const backupChannels = {
  "backups.list": channel({
    doc: "Committed backups (newest first, with manifests), plus incomplete runs (never restorable) and unreadable manifests.",
    request: z.object({ profile: ProfileChoice }).strict(),
    result: BackupCatalog.extend({
      profile: z.string(),
      store: z.string(),
      /** Where each backup exists, when the profile has replicas. */
      copies: BackupCopies.optional(),
    }),
  }),
  "backups.run": channel({
    doc: "Dump, compress, encrypt and store a backup; the manifest (exact row counts) is written last. Streams progress.",
    long: true,
    request: z.object({ profile: ProfileChoice, operationId: OperationId.optional() }).strict(),
    /** The manifest, each replica's copy of the new backup when the profile has replicas, and warnings: what failed after the commit without undoing it (e.g. journaling). */
    result: BackupManifest.extend({
      replicas: z.array(ReplicaOutcome).optional(),
      warnings: z.array(z.string()).optional(),
    }),
  }),
  "backups.verify": channel({
    doc: "Checks size, sha256, decryption and every row count of a backup (default the latest); with deep, also restores it into a throwaway database. Streams progress.",
    long: true,
    secretFields: ["identity"],
    request: z
      .object({
        profile: ProfileChoice,
        id: BackupId.default("latest"),
        deep: z.boolean().optional(),
        identity: IdentityText.optional(),
        store: StoreName.optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: VerifyResult,
  }),
};

/** Where a restore goes: this profile's server, or another profile's server (e.g. a scratch or a new Neon branch's profile). */
const RestoreTarget = {
  profile: ProfileChoice,
  id: BackupId,
  /** Database to restore into on the target server; created when it does not exist. */
  database: DatabaseName,
  targetProfile: ProfileName.optional(),
  /** Overwrite a database that holds data; needs `confirm` equal to the database name. */
  force: z.boolean().optional(),
  confirm: z.string().max(63).optional(),
};

/** Read-only checks before a restore, and what the target turned out to be. */
export const RestorePreflightResult = z.object({
  ok: z.boolean(),
  checks: z.array(Check),
  target: z.object({
    host: z.string(),
    database: z.string(),
    exists: z.boolean().optional(),
    empty: z.boolean().optional(),
  }),
});
export type RestorePreflightResult = z.infer<typeof RestorePreflightResult>;

export const restoreChannels = {
  "restore.preflight": channel({
    doc: "Read-only checks before a restore: the backup is committed, the key opens it, pg_restore is new enough, the target host is unpooled, the target database is new or empty (or confirmed).",
    request: z.object(RestoreTarget).strict(),
    result: RestorePreflightResult,
  }),
  "restore.run": channel({
    doc: "Restores a committed backup; success means pg_restore exited 0 AND every table's row count equals the manifest's. Journaled before and after. Streams progress.",
    long: true,
    secretFields: ["identity"],
    request: z
      .object({
        ...RestoreTarget,
        noOwner: z.boolean().optional(),
        noAcl: z.boolean().optional(),
        schemaOnly: z.boolean().optional(),
        tables: z.array(z.string().min(1).max(200)).max(1000).optional(),
        jobs: z.number().int().min(1).max(16).optional(),
        identity: IdentityText.optional(),
        store: StoreName.optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: RunRestoreResult,
  }),
};
