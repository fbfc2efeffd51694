import {
  AttachmentRunManifest,
  type AttachmentRunManifest as RunManifest,
} from "../../shared/api/channels/attachment-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { BACKUP_ID } from "../backup/backup-layout.ts";
import type { BackupStore } from "../storage/backup-store.ts";

// Layout in the profile's store: _attachments/<profile>/<set>/runs/<run id>.json (a run's manifest, written last) and
// _attachments/<profile>/<set>/blobs/<run id>/<n>.age (the files that run copied, each age-encrypted). Outside the
// profile's own folder, so listing its backups never walks ten thousand attachment blobs; a profile name cannot
// start with "_", so no profile's folder can be this one.
export const ATTACHMENTS_ROOT = "_attachments";

export function attachmentBase(profile: string, set: string): string {
  return `${ATTACHMENTS_ROOT}/${profile}/${set}`;
}

export function runManifestKey(profile: string, set: string, id: string): string {
  return `${attachmentBase(profile, set)}/runs/${id}.json`;
}

export function blobKey(profile: string, set: string, run: string, n: number): string {
  return `${attachmentBase(profile, set)}/blobs/${run}/${String(n).padStart(6, "0")}.age`;
}

/** Committed run ids of a set, newest first. */
export async function listRuns(store: BackupStore, profile: string, set: string): Promise<string[]> {
  const prefix = `${attachmentBase(profile, set)}/runs/`;
  return (await store.list(prefix))
    .map((o) => o.key.slice(prefix.length).replace(/\.json$/, ""))
    .filter((id) => BACKUP_ID.test(id))
    .sort()
    .reverse();
}

export async function loadRun(store: BackupStore, profile: string, set: string, id: string): Promise<RunManifest> {
  const key = runManifestKey(profile, set, id);
  let raw: Buffer;
  try {
    raw = await store.getSmall(key);
  } catch (e) {
    if ((e as LifeboatError).code === "BACKUP_NOT_FOUND") {
      throw new LifeboatError(
        "BACKUP_NOT_FOUND",
        `attachment set "${set}" has no run ${id} in ${store.description}`,
        "List the runs with `lifeboat attachments runs`.",
      );
    }
    throw e;
  }
  const parsed = AttachmentRunManifest.safeParse(JSON.parse(raw.toString("utf8")));
  if (!parsed.success) {
    throw new LifeboatError(
      "MANIFEST_INVALID",
      `${key} is not a Lifeboat attachment manifest`,
      "Use another run; this one cannot be trusted.",
    );
  }
  return parsed.data;
}

/** A run by id, or the newest one ("latest"). */
export async function findRun(
  store: BackupStore,
  profile: string,
  set: string,
  id: string,
): Promise<RunManifest | null> {
  if (id !== "latest") return loadRun(store, profile, set, id);
  const [newest] = await listRuns(store, profile, set);
  return newest ? loadRun(store, profile, set, newest) : null;
}
