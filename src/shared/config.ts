import { z } from "zod";
import { MonitoringConfig, ScheduleConfig } from "./schedule/schedule-config.ts";
import { ObjectLockConfig, RetentionConfig } from "./retention-policy.ts";
import { SecretRef } from "./secret-ref.ts";

export const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export const DatabaseTarget = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    password: SecretRef.optional(),
    sslmode: z.enum(["disable", "prefer", "require", "verify-ca", "verify-full"]).default("require"),
    /**
     * libpq's `options` (sent to the server at connect): for Neon, `endpoint=ep-…` names the compute for clients
     * that cannot send SNI; an endpoint ending in -pooler is the pooled one, refused like a -pooler host.
     */
    options: z.string().min(1).max(1000).optional(),
  })
  .strict();
export type DatabaseTarget = z.infer<typeof DatabaseTarget>;

export const S3Storage = z
  .object({
    kind: z.literal("s3"),
    bucket: z.string().min(3),
    prefix: z.string().default(""),
    region: z.string().default("us-east-1"),
    endpoint: z.string().url().optional(),
    forcePathStyle: z.boolean().default(false),
    accessKeyId: SecretRef.optional(),
    secretAccessKey: SecretRef.optional(),
    serverSideEncryption: z.enum(["AES256", "aws:kms"]).optional(),
    sseKmsKeyId: z.string().optional(),
  })
  .strict();
export type S3Storage = z.infer<typeof S3Storage>;

export const FolderStorage = z.object({ kind: z.literal("folder"), path: z.string().min(1) }).strict();
export type FolderStorage = z.infer<typeof FolderStorage>;

export const StorageConfig = z.discriminatedUnion("kind", [S3Storage, FolderStorage]);
export type StorageConfig = z.infer<typeof StorageConfig>;

const AgeRecipient = z.string().regex(AGE_RECIPIENT, "is not an age X25519 recipient (age1…)");

/** A key kept off this machine (printed, on a token, with a lawyer): every backup is also encrypted to it. */
export const EscrowRecipient = z
  .object({
    recipient: AgeRecipient,
    label: z.string().min(1).max(200),
    addedAt: z.string().optional(),
    /**
     * Where the scheduled decrypt drill reads this escrow identity: a reference only the drill's job can resolve (an
     * env: variable set from a token for that job alone), never the keychain the daily backups use.
     */
    drillIdentity: SecretRef.optional(),
  })
  .strict();
export type EscrowRecipient = z.infer<typeof EscrowRecipient>;

/** A key replaced by a rotation: backups made before it still need its identity, so where it lives stays on record. */
export const RetiredKey = z
  .object({ recipient: AgeRecipient, identity: SecretRef.optional(), retiredAt: z.string().optional() })
  .strict();
export type RetiredKey = z.infer<typeof RetiredKey>;

export const EncryptionConfig = z
  .object({
    recipients: z.array(AgeRecipient).min(1),
    identity: SecretRef.optional(),
    escrow: z.array(EscrowRecipient).default(() => []),
    retired: z.array(RetiredKey).default(() => []),
  })
  .strict();
export type EncryptionConfig = z.infer<typeof EncryptionConfig>;

/** The clinical tables the weekly backup test counts unless the profile names others. */
export const DEFAULT_DRILL_TABLES = ["Patient", "ClinicalNote", "User", "Prescription", "LabResult", "AuditLog"];

export const NeonDrillConfig = z
  .object({
    /**
     * How far back the test branch is taken. Unset: 24 hours as in the seed's script, or half the project's history
     * when that is shorter (a Free plan's 6 h window, a young project), said in the report.
     */
    offsetHours: z.number().positive().optional(),
    tables: z
      .array(z.string().min(1))
      .min(1)
      .default(() => [...DEFAULT_DRILL_TABLES]),
    /** A key table whose count fell by more than this since the last passing run fails the test. */
    maxDropPercent: z.number().min(0).max(100).default(10),
  })
  .strict();
export type NeonDrillConfig = z.infer<typeof NeonDrillConfig>;

export const NeonConfig = z
  .object({
    projectId: z.string().regex(/^[a-z0-9-]{1,60}$/, 'is a Neon project id such as "spring-example-302709"'),
    apiKey: SecretRef,
    /** Defaults to https://console.neon.tech/api/v2; point it at `lifeboat sandbox` to practise. */
    apiHost: z.string().url().optional(),
    /** Branch name or id; without it, the branch Neon marks as default. */
    defaultBranch: z.string().min(1).optional(),
    database: z.string().min(1).default("neondb"),
    role: z.string().min(1).default("neondb_owner"),
    /**
     * status warns when Neon's history window is shorter. Unset: 168 h (7 days, the audit's floor and Neon's
     * production recommendation), or the plan's maximum when it allows less (Free: 6 h).
     */
    requiredRecoveryWindowHours: z.number().positive().optional(),
    drill: NeonDrillConfig.prefault({}),
  })
  .strict();
export type NeonConfig = z.infer<typeof NeonConfig>;

/**
 * When the engine raises alerts for a profile. The seed's "no backup in >15 minutes" describes Neon's continuous WAL
 * (covered by the history window); Lifeboat's S3 backups are nightly dumps, so a day (plus slack) is the default.
 */
export const AlertsConfig = z
  .object({
    /** No committed backup newer than this: CRITICAL. */
    maxBackupAgeMinutes: z.number().int().positive().default(1440),
    /** A backup smaller than the previous one by more than this: MEDIUM, possible data loss. */
    sizeDropPercent: z.number().min(1).max(100).default(50),
    /**
     * A key table (neon.drill.tables, else the largest) with this many percent fewer rows than in the previous backup:
     * HIGH, the seed's "sudden drop in record counts" (Scenario 1's first sign).
     */
    rowDropPercent: z.number().min(1).max(100).default(10),
  })
  .strict();
export type AlertsConfig = z.infer<typeof AlertsConfig>;

/** Who the runbooks tell the operator to call (the seed's recovery contacts table). */
export const ProfileContact = z
  .object({ role: z.string().min(1), name: z.string().min(1), contact: z.string().min(1) })
  .strict();
export type ProfileContact = z.infer<typeof ProfileContact>;

const StoreName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "use lower-case letters, digits, _ and -");

/** A second copy of every backup: another bucket, region or provider, or a local folder / removable disk. */
export const ReplicaConfig = z
  .object({
    name: StoreName,
    storage: StorageConfig,
    /** Lock the replica's copies too (per store: the replica's bucket decides what it can enforce). */
    objectLock: ObjectLockConfig.optional(),
    /** The replica's own retention; without it, the profile's. */
    retention: RetentionConfig.optional(),
  })
  .strict();
export type ReplicaConfig = z.infer<typeof ReplicaConfig>;

/** An object-storage bucket or prefix (or a folder) holding the application's files, backed up incrementally. */
export const AttachmentSource = z.object({ name: StoreName, source: StorageConfig }).strict();
export type AttachmentSource = z.infer<typeof AttachmentSource>;

/** The seed's recovery targets: RTO 30 minutes, RPO 1 minute. */
export const RecoveryTargets = z
  .object({ rtoMinutes: z.number().positive().default(30), rpoMinutes: z.number().positive().default(1) })
  .strict();

export const Profile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "use lower-case letters, digits, _ and -"),
    database: DatabaseTarget,
    storage: StorageConfig,
    encryption: EncryptionConfig,
    tools: z.object({ pgBinDir: z.string().optional() }).strict().default({}),
    /** Deep verify restores into a throwaway database here; without it, into a temporary local cluster. */
    verify: z.object({ scratch: DatabaseTarget.optional() }).strict().default({}),
    neon: NeonConfig.optional(),
    alerts: AlertsConfig.prefault({}),
    contacts: z.array(ProfileContact).default(() => []),
    /** The escalation path, in order (e.g. "Page the on-call DBA", "Critical: CTO + DevOps"). */
    escalation: z.array(z.string().min(1)).default(() => []),
    targets: RecoveryTargets.prefault({}),
    /** What runs by itself, and when (`lifeboat schedule`). */
    schedule: ScheduleConfig.optional(),
    /** Where alerts and the dead man's switch report, and the store quota (`lifeboat check`). */
    monitoring: MonitoringConfig.prefault({}),
    /** Which backups are kept, and for how long. Without it nothing is ever deleted. */
    retention: RetentionConfig.optional(),
    /** Require S3 Object Lock: each backup locked until its retention tier lets it go. */
    objectLock: ObjectLockConfig.optional(),
    replicas: z.array(ReplicaConfig).default(() => []),
    attachments: z.array(AttachmentSource).default(() => []),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.schedule?.["decrypt-drill"] && !p.encryption.escrow.some((e) => e.drillIdentity))
      ctx.addIssue({
        code: "custom",
        path: ["schedule", "decrypt-drill"],
        message: "the scheduled decrypt drill needs an escrow key with a drillIdentity reference (encryption.escrow)",
      });
    if (p.schedule?.["neon-test"] && !p.neon)
      ctx.addIssue({
        code: "custom",
        path: ["schedule", "neon-test"],
        message: "the weekly Neon test needs the profile's neon section",
      });
  });
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

export const ConfigFile = z
  .object({
    version: z.literal(1).default(1),
    profiles: z.array(Profile).default([]),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;
