import { MANIFEST_NAME } from "../../shared/manifest.ts";
import { objectLockFor } from "../object-lock/s3-object-lock.ts";
import type { BackupStore, StoredObject } from "../storage/backup-store.ts";

const manifestFirst = (a: { key: string }, b: { key: string }): number =>
  Number(!a.key.endsWith(`/${MANIFEST_NAME}`)) - Number(!b.key.endsWith(`/${MANIFEST_NAME}`));

/**
 * Deletes everything in a backup folder for good: every version on a versioned bucket (a plain DELETE there only adds
 * a delete marker and keeps paying for the data), the manifest first, so that a deletion cut short leaves a run
 * without a manifest (never listed as restorable, cleaned up by the next prune) rather than a manifest without data.
 */
export async function deleteFolder(store: BackupStore, dir: string, objects: readonly StoredObject[]): Promise<number> {
  const tool = objectLockFor(store);
  const versions = tool ? await tool.versionsIfSupported(`${dir}/`) : null;
  if (tool && versions) {
    const ordered = [...versions].sort(
      (a, b) => Number(a.deleteMarker) - Number(b.deleteMarker) || manifestFirst(a, b),
    );
    for (const v of ordered) await tool.deleteVersion(v.key, v.versionId);
    return ordered.length;
  }
  const ordered = [...objects].sort(manifestFirst);
  for (const o of ordered) await store.delete(o.key);
  return ordered.length;
}
