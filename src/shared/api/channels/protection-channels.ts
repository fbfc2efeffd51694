import { z } from "zod";
import { LockMode } from "../../retention-policy.ts";
import { BackupId, channel, OperationId, ProfileName } from "../common-schemas.ts";

/** One object version's lock, as the store reports it (read back, never assumed). */
export const ObjectLockState = z.object({
  key: z.string(),
  versionId: z.string().nullable(),
  mode: LockMode.nullable(),
  retainUntil: z.string().nullable(),
  legalHold: z.boolean(),
});
export type ObjectLockState = z.infer<typeof ObjectLockState>;

/**
 * A backup's protection in one store. locked: every object has a retain-until in the future (or a legal hold);
 * partial: some objects are not; unlocked: none is; bucket-rule: the store enforces immutability by a bucket rule that
 * its S3 API cannot show per object (Cloudflare R2's bucket locks); unsupported: a folder, or a store without Object
 * Lock.
 */
export const LockStatus = z.enum(["locked", "partial", "unlocked", "bucket-rule", "unsupported"]);
export type LockStatus = z.infer<typeof LockStatus>;

export const BackupLockState = z.object({
  id: z.string(),
  store: z.string(),
  status: LockStatus,
  /** The earliest retain-until over the backup's objects: when the first of them can be deleted. */
  until: z.string().nullable(),
  mode: LockMode.nullable(),
  legalHold: z.boolean(),
  objects: z.array(ObjectLockState),
  summary: z.string(),
});
export type BackupLockState = z.infer<typeof BackupLockState>;

/** What a store offers against deletion, bucket-wide. */
export const StoreProtection = z.object({
  store: z.string(),
  kind: z.enum(["s3", "folder"]),
  versioning: z.enum(["enabled", "suspended", "off", "unknown"]),
  objectLock: z.enum(["enabled", "off", "unsupported", "bucket-rule"]),
  defaultRetention: z.object({ mode: LockMode, days: z.number() }).nullable(),
  /** In words, with what to change when it falls short. */
  notes: z.array(z.string()),
  /** "primary" or the replica's name. */
  name: z.string().optional(),
  /** The store could not be asked (unreachable, refused): why. */
  error: z.string().optional(),
});
export type StoreProtection = z.infer<typeof StoreProtection>;

export const DrillAttempt = z.object({
  /** What was tried, as an attacker holding the profile's credentials would. */
  attempt: z.string(),
  outcome: z.enum(["refused", "allowed", "not-attempted", "harmless"]),
  detail: z.string(),
});

export const RansomwareDrillResult = z.object({
  id: z.string(),
  store: z.string(),
  passed: z.boolean(),
  attempts: z.array(DrillAttempt),
  /** Why it failed, in words, with what to change. */
  reasons: z.array(z.string()),
  /** The backup after the drill: its manifest and archive read back with the sha256 they had before. */
  intact: z.boolean(),
  aftermath: z.string(),
});
export type RansomwareDrillResult = z.infer<typeof RansomwareDrillResult>;

const StoreName = z.string().min(1).max(64);

export const protectionChannels = {
  "protection.locks": channel({
    doc: "The lock state of one backup's objects (or of every committed backup) in a store, as the store reports it: mode, retain-until and legal hold per object.",
    request: z
      .object({ profile: ProfileName.optional(), id: BackupId.optional(), store: StoreName.optional() })
      .strict(),
    result: z.object({ store: z.string(), backups: z.array(BackupLockState) }),
  }),
  "protection.hold": channel({
    doc: "Sets (hold: true) or releases a legal hold on every object of a backup; a held backup cannot be deleted by anyone until released. Journaled.",
    request: z
      .object({ profile: ProfileName.optional(), id: BackupId, hold: z.boolean(), store: StoreName.optional() })
      .strict(),
    result: BackupLockState,
  }),
  "protection.status": channel({
    doc: "What the profile's stores offer against deletion: versioning, Object Lock, default retention or bucket rules, and what to change.",
    request: z.object({ profile: ProfileName.optional() }).strict(),
    result: z.object({ stores: z.array(StoreProtection) }),
  }),
  "protection.drill": channel({
    doc: "The ransomware drill: tries to delete and overwrite the newest backup with the profile's own credentials; passes only when the store refuses. Built so that a failing store still ends with the backup intact. Journaled.",
    long: true,
    request: z
      .object({ profile: ProfileName.optional(), store: StoreName.optional(), operationId: OperationId.optional() })
      .strict(),
    result: RansomwareDrillResult,
  }),
};
