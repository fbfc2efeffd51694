// What a profile's store says about it, in as few requests as the S3 API allows: one listing of its backups (sizes come
// with it), the newest manifest, the one before it only when the listing shows the stored size dropped (for the
// size-drop rule), and the latest run of each scheduled job (one GET each).
import type { Profile } from "../../shared/config.ts";
import { MANIFEST_NAME, type BackupManifest } from "../../shared/manifest.ts";
import { scheduledJobs } from "../../shared/schedule/schedule-config.ts";
import { parseManifest } from "../backup/backup-catalog.ts";
import { objectSuffix } from "../backup/backup-layout.ts";
import { readStoreStates, type JobStates } from "../schedule/job-state.ts";
import type { BackupStore, StoredObject } from "../storage/backup-store.ts";

export interface StoreFacts {
  description: string;
  bytes: number;
  /** Committed backups (with a manifest) the listing found. */
  backupCount: number;
  /** The newest committed backups, newest first: one, or two when the size may have dropped. */
  newest: BackupManifest[];
  jobs: JobStates;
}

const ARCHIVE_SUFFIXES = [objectSuffix("zstd"), objectSuffix("none")];

/**
 * The archive of a backup folder, from the listing. The folder also holds the manifest, the profile's configuration
 * and a verify's evidence, so the archive is found by its suffix, never as "the other object".
 */
function dataObject(objects: StoredObject[], manifestKey: string): StoredObject | undefined {
  const dir = manifestKey.slice(0, -MANIFEST_NAME.length);
  return objects.find(
    (o) =>
      o.key.startsWith(dir) &&
      !o.key.slice(dir.length).includes("/") &&
      ARCHIVE_SUFFIXES.some((x) => o.key.endsWith(x)),
  );
}

export async function storeFacts(store: BackupStore, profile: Profile): Promise<StoreFacts> {
  const [objects, jobs] = await Promise.all([
    store.list(`${profile.name}/`),
    readStoreStates(
      store,
      profile.name,
      scheduledJobs(profile.schedule).map((j) => j.job),
    ),
  ]);
  const manifests = objects
    .filter((o) => o.key.endsWith(`/${MANIFEST_NAME}`))
    .map((o) => o.key)
    .sort()
    .reverse();
  const read = (key: string | undefined) =>
    key
      ? store.getSmall(key).then(
          (raw) => parseManifest(raw, key),
          () => undefined,
        )
      : Promise.resolve(undefined);
  // An unreadable manifest is skipped here (verify and `backups` name it): the next one down counts instead.
  let at = 0;
  let newest: BackupManifest | undefined;
  while (!newest && at < manifests.length) newest = await read(manifests[at++]);
  const out: BackupManifest[] = newest ? [newest] : [];
  const [a, b] = [dataObject(objects, manifests[at - 1] ?? ""), dataObject(objects, manifests[at] ?? "")];
  // The listing's sizes are a cheap first look; the manifests (with the uncompressed sizes) decide.
  const mayHaveDropped =
    !!a && !!b && (a.key.split(".").slice(1).join(".") !== b.key.split(".").slice(1).join(".") || a.bytes < b.bytes);
  if (newest && mayHaveDropped) {
    const previous = await read(manifests[at]);
    if (previous) out.push(previous);
  }
  return {
    description: store.description,
    bytes: objects.reduce((acc, o) => acc + o.bytes, 0),
    backupCount: manifests.length,
    newest: out,
    jobs,
  };
}
