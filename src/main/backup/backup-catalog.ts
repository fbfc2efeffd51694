import type { BackupCatalog } from "../../shared/api/channels/backup-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { BackupManifest, MANIFEST_NAME } from "../../shared/manifest.ts";
import type { BackupStore, StoredObject } from "../storage/backup-store.ts";
import { BACKUP_ID } from "./backup-layout.ts";

export interface BackupFolder {
  /** <profile>/<id> */
  dir: string;
  id: string;
  objects: StoredObject[];
  bytes: number;
  /** The folder holds manifest.json: the run committed. */
  committed: boolean;
}

/**
 * The profile's backup folders (<profile>/<id>/…, the id a backup id) from one listing, without reading any manifest.
 * Other folders under the profile (attachments, …) are not backups and are left out.
 */
export async function scanBackupFolders(store: BackupStore, profile: string): Promise<BackupFolder[]> {
  const dirs = new Map<string, BackupFolder>();
  for (const o of await store.list(`${profile}/`)) {
    const id = o.key.slice(profile.length + 1).split("/")[0]!;
    if (!BACKUP_ID.test(id) || !o.key.includes("/", profile.length + 1)) continue;
    const dir = `${profile}/${id}`;
    const d = dirs.get(dir) ?? { dir, id, objects: [], bytes: 0, committed: false };
    d.objects.push(o);
    d.bytes += o.bytes;
    if (o.key === `${dir}/${MANIFEST_NAME}`) d.committed = true;
    dirs.set(dir, d);
  }
  return [...dirs.values()];
}

export async function listBackups(store: BackupStore, profile: string): Promise<BackupCatalog> {
  const catalog: BackupCatalog = { backups: [], incomplete: [], invalid: [] };
  for (const { dir, objects, bytes } of await scanBackupFolders(store, profile)) {
    const d = { keys: objects.map((o) => o.key), bytes };
    const mkey = `${dir}/${MANIFEST_NAME}`;
    if (!d.keys.includes(mkey)) {
      catalog.incomplete.push({ dir, ...d });
      continue;
    }
    try {
      catalog.backups.push(parseManifest(await store.getSmall(mkey), mkey));
    } catch (e) {
      catalog.invalid.push({ key: mkey, error: e instanceof Error ? e.message : String(e) });
    }
  }
  catalog.backups.sort((a, b) => b.id.localeCompare(a.id));
  catalog.incomplete.sort((a, b) => b.dir.localeCompare(a.dir));
  return catalog;
}

export function parseManifest(raw: Buffer, key: string): BackupManifest {
  let json: unknown;
  try {
    json = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new LifeboatError(
      "MANIFEST_INVALID",
      `${key} is not valid JSON`,
      "The backup cannot be trusted without its manifest; use another backup.",
    );
  }
  const r = BackupManifest.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".")}: ${i.message}`)
      .join("; ");
    throw new LifeboatError(
      "MANIFEST_INVALID",
      `${key} is not a Lifeboat manifest (${issues})`,
      "Use another backup, or check that the store prefix points at Lifeboat backups.",
    );
  }
  return r.data;
}

/** A committed backup by id, or "latest". An object without a manifest is never returned. */
export async function findBackup(store: BackupStore, profile: string, id: string): Promise<BackupManifest> {
  if (id === "latest") {
    const { backups } = await listBackups(store, profile);
    if (!backups[0])
      throw new LifeboatError(
        "BACKUP_NOT_FOUND",
        `profile "${profile}" has no committed backups in ${store.description}`,
        "Run `lifeboat backup` first, or check the profile's storage settings.",
      );
    return backups[0];
  }
  const key = `${profile}/${id}/${MANIFEST_NAME}`;
  if (!(await store.head(key))) {
    const others = await store.list(`${profile}/${id}/`);
    throw new LifeboatError(
      "BACKUP_NOT_FOUND",
      others.length
        ? `backup ${id} is incomplete: its data object exists but it has no manifest, so it never committed and is not restorable`
        : `no backup ${id} for profile "${profile}" in ${store.description}`,
      "List restorable backups with `lifeboat backups`.",
    );
  }
  return parseManifest(await store.getSmall(key), key);
}
