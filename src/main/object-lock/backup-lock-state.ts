import type { BackupLockState, ObjectLockState } from "../../shared/api/channels/protection-channels.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { MANIFEST_NAME } from "../../shared/manifest.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import type { BucketRuleProbe } from "./bucket-rule-probe.ts";
import { objectLockFor } from "./s3-object-lock.ts";

/** The objects that make up a backup and must all be locked: the archive, the config snapshot, the manifest. */
export function backupObjectKeys(m: BackupManifest): string[] {
  const dir = m.object.key.slice(0, m.object.key.lastIndexOf("/"));
  return [m.object.key, ...(m.config ? [m.config.key] : []), `${dir}/${MANIFEST_NAME}`];
}

function protectedNow(o: ObjectLockState, now: number): boolean {
  return o.legalHold || (o.retainUntil !== null && Date.parse(o.retainUntil) > now);
}

/** Summarizes per-object lock states (read from the store) into the backup's status and a sentence. */
export function summarizeLocks(id: string, store: string, objects: ObjectLockState[], now: number): BackupLockState {
  const locked = objects.filter((o) => protectedNow(o, now));
  const untils = objects.map((o) => o.retainUntil).filter((u): u is string => u !== null && Date.parse(u) > now);
  const until = untils.length === objects.length && untils.length ? untils.sort()[0]! : null;
  const legalHold = objects.length > 0 && objects.every((o) => o.legalHold);
  const modes = [...new Set(objects.map((o) => o.mode).filter((m) => m !== null))];
  const mode = modes.length === 1 ? modes[0]! : null;
  const status = locked.length === 0 ? "unlocked" : locked.length === objects.length ? "locked" : "partial";
  const name = (k: string) => k.slice(k.lastIndexOf("/") + 1);
  const summary =
    status === "locked"
      ? [until ? `locked (${mode ?? modes.join("/")}) until ${until}` : "", legalHold ? "under legal hold" : ""]
          .filter(Boolean)
          .join(", ") + ` on all ${objects.length} objects`
      : status === "partial"
        ? `only partly locked: ${objects
            .filter((o) => !protectedNow(o, now))
            .map((o) => name(o.key))
            .join(", ")} can be deleted`
        : "not locked: anyone holding the store's keys can delete it";
  return { id, store, status, until, mode, legalHold, objects, summary };
}

/** A backup's lock state as the store reports it now. `memo` shares one bucket-rule probe among a store's backups. */
export async function backupLockState(
  store: BackupStore,
  m: BackupManifest,
  now: number,
  memo: { probe?: Promise<BucketRuleProbe | null> } = {},
): Promise<BackupLockState> {
  const tool = objectLockFor(store);
  if (!tool) {
    return {
      id: m.id,
      store: store.description,
      status: "unsupported",
      until: null,
      mode: null,
      legalHold: false,
      objects: [],
      summary: "a folder cannot lock: anyone who can write to it can delete the backup",
    };
  }
  const objects: ObjectLockState[] = [];
  for (const key of backupObjectKeys(m)) {
    objects.push((await tool.state(key)) ?? { key, versionId: null, mode: null, retainUntil: null, legalHold: false });
  }
  const summary = summarizeLocks(m.id, store.description, objects, now);
  if (summary.status !== "unlocked") return summary;
  // Nothing shows a lock: on a store that shows none per object, a bucket rule may still hold it (Cloudflare R2).
  const probe = await (memo.probe ??= tool.bucketRuleProbe(store.description, !!m.lock?.bucketRule));
  if (probe?.outcome === "refused") {
    return {
      ...summary,
      status: "bucket-rule",
      summary: `protected by a bucket rule, not a lock per object: the store refused to delete a probe object under ${store.description} (${probe.refusal}); S3 shows neither the rule nor how long it holds`,
    };
  }
  if (m.lock?.bucketRule) {
    return {
      ...summary,
      summary: `not locked: the bucket rule it was made under no longer protects ${store.description} (a probe object there was deleted at once): anyone holding the store's keys can delete it`,
    };
  }
  return summary;
}
