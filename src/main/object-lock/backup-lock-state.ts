import type { BackupLockState, ObjectLockState } from "../../shared/api/channels/protection-channels.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { MANIFEST_NAME } from "../../shared/manifest.ts";
import type { BackupStore } from "../storage/backup-store.ts";
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

/** A backup's lock state as the store reports it now. */
export async function backupLockState(store: BackupStore, m: BackupManifest, now: number): Promise<BackupLockState> {
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
  if (tool.isR2 || m.lock?.bucketRule) {
    return {
      id: m.id,
      store: store.description,
      status: "bucket-rule",
      until: null,
      mode: null,
      legalHold: false,
      objects: [],
      summary: "protected by the bucket's own lock rules (Cloudflare R2 bucket locks), which S3 cannot show per object",
    };
  }
  const objects: ObjectLockState[] = [];
  for (const key of backupObjectKeys(m)) {
    objects.push((await tool.state(key)) ?? { key, versionId: null, mode: null, retainUntil: null, legalHold: false });
  }
  return summarizeLocks(m.id, store.description, objects, now);
}
