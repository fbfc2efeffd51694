// What a profile's store says about it, in few requests: one listing of its backups (sizes come with it), the two
// newest manifests (the newest backup's figures, and the one before it for the size-drop rule), and the latest run
// of each scheduled job.
import { MANIFEST_NAME, type BackupManifest } from "../../shared/manifest.ts";
import { parseManifest } from "../backup/backup-catalog.ts";
import { readStoreStates, type JobStates } from "../schedule/job-state.ts";
import type { BackupStore } from "../storage/backup-store.ts";

export interface StoreFacts {
  description: string;
  bytes: number;
  /** Committed backups (with a manifest) the listing found. */
  backupCount: number;
  /** The newest committed backups, newest first (at most two). */
  newest: BackupManifest[];
  jobs: JobStates;
}

export async function storeFacts(store: BackupStore, profile: string): Promise<StoreFacts> {
  const [objects, jobs] = await Promise.all([store.list(`${profile}/`), readStoreStates(store, profile)]);
  const manifests = objects
    .filter((o) => o.key.endsWith(`/${MANIFEST_NAME}`))
    .map((o) => o.key)
    .sort()
    .reverse();
  // An unreadable manifest is skipped here (verify and `backups` name it); the next one down counts.
  const newest: BackupManifest[] = [];
  for (const key of manifests) {
    if (newest.length === 2) break;
    try {
      newest.push(parseManifest(await store.getSmall(key), key));
    } catch {
      continue;
    }
  }
  return {
    description: store.description,
    bytes: objects.reduce((a, o) => a + o.bytes, 0),
    backupCount: manifests.length,
    newest,
    jobs,
  };
}
