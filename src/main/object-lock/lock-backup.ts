import type { ObjectLockState } from "../../shared/api/channels/protection-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { resolveRetention, type LockMode, type RetentionPolicy } from "../../shared/retention-policy.ts";
import { scanBackupFolders } from "../backup/backup-catalog.ts";
import { idTime } from "../backup/backup-layout.ts";
import { tierOfNewBackup, type Generation } from "../retention/generations.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { objectLockFor, type S3ObjectLock } from "./s3-object-lock.ts";

export interface PreparedLock {
  mode: LockMode;
  until: Date;
  generations: Generation[];
  /** R2-style bucket rule: the store enforces immutability itself and shows nothing per object. */
  bucketRule: boolean;
  tool: S3ObjectLock | null;
}

/** The committed backups' times, from the folder listing alone (ids carry the time): no manifest is read. */
export async function committedTimes(store: BackupStore, profile: string): Promise<{ id: string; time: number }[]> {
  return (await scanBackupFolders(store, profile))
    .filter((f) => f.committed)
    .map((f) => ({ id: f.id, time: idTime(f.id)! }));
}

/**
 * Before a backup starts: the store must be able to lock (a profile that requires Object Lock never writes an
 * unlocked backup), and the new backup's lock date follows from its retention tier, known now because a tier goes to
 * the first backup of its period.
 */
export async function prepareBackupLock(
  profile: Pick<Profile, "name" | "retention" | "objectLock">,
  store: BackupStore,
  startedAt: Date,
  policyOverride?: RetentionPolicy,
  /** The earlier runs the new one's tier is judged against; default the profile's committed backups. */
  earlier?: { id: string; time: number }[],
): Promise<PreparedLock | null> {
  if (!profile.objectLock) return null;
  const policy = policyOverride ?? (profile.retention ? resolveRetention(profile.retention) : undefined);
  if (!policy) {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `profile "${profile.name}" requires Object Lock but has no retention policy to set each backup's lock from`,
      'Add "retention": "clinical" (or "gfs") to the profile.',
    );
  }
  const tool = objectLockFor(store);
  const protection = tool ? await tool.protection(store.description) : null;
  if (!tool || !protection || (protection.objectLock !== "enabled" && protection.objectLock !== "bucket-rule")) {
    throw new LifeboatError(
      "OBJECT_LOCK_UNAVAILABLE",
      `profile "${profile.name}" requires Object Lock, but ${store.description} ${
        !tool ? "is a folder, which cannot lock" : `has Object Lock ${protection!.objectLock}`
      }: nothing was backed up, so no unlocked backup exists`,
      protection?.notes.join(" ") ||
        "Point the profile at an S3 bucket with Object Lock enabled, or remove objectLock from the profile.",
      { store: store.description },
    );
  }
  const { generations, lockUntil } = tierOfNewBackup(
    earlier ?? (await committedTimes(store, profile.name)),
    startedAt.getTime(),
    policy,
  );
  return {
    mode: profile.objectLock.mode,
    until: new Date(lockUntil),
    generations,
    bucketRule: protection.objectLock === "bucket-rule",
    tool: protection.objectLock === "bucket-rule" ? null : tool,
  };
}

/** Locks the latest version of a key as prepared, read back; for a bucket rule, what the store will say instead. */
export async function lockStored(prep: PreparedLock, key: string): Promise<ObjectLockState> {
  if (!prep.tool) return { key, versionId: null, mode: null, retainUntil: null, legalHold: false };
  const current = await prep.tool.state(key);
  if (!current) {
    throw new LifeboatError("BACKUP_FAILED", `${key} vanished before it could be locked`, "Run the backup again.");
  }
  return prep.tool.lock(key, current.versionId, prep.mode, prep.until);
}
