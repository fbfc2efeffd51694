import type { BackupCatalog } from "../../shared/api/channels/backup-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { BackupManifest, MANIFEST_NAME } from "../../shared/manifest.ts";
import { BACKUP_ID_PATTERN } from "../../shared/api/common-schemas.ts";
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

/**
 * A manifest read from a store: valid JSON, Lifeboat's schema, and pointing only inside its own folder. A manifest
 * whose object key is "../../../etc/passwd" or another backup's object (tampered, or copied by hand) is not one.
 */
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
  const dir = key.slice(0, key.lastIndexOf("/"));
  const folder = dir.slice(dir.lastIndexOf("/") + 1);
  const objectKey = r.data.object.key;
  const segments = objectKey.split("/");
  if (
    objectKey.slice(0, objectKey.lastIndexOf("/")) !== dir ||
    segments.some((s) => s === "" || s === "." || s === "..") ||
    objectKey.includes("\0") ||
    r.data.id !== folder
  ) {
    throw new LifeboatError(
      "MANIFEST_INVALID",
      `${key} does not describe the backup in its own folder (id "${r.data.id}", object key "${objectKey}"): it was altered or copied from elsewhere`,
      "Use another backup. A manifest may only name the object next to it.",
    );
  }
  return r.data;
}

/**
 * A committed backup by id, or "latest". An object without a manifest is never returned. "latest" never skips a
 * newer backup silently: a newer folder whose manifest is unreadable stops it, because restoring an older backup
 * than the operator believes is the kind of mistake found only after the outage.
 */
export async function findBackup(store: BackupStore, profile: string, id: string): Promise<BackupManifest> {
  if (id !== "latest" && !BACKUP_ID_PATTERN.test(id)) {
    throw new LifeboatError(
      "USAGE",
      `"${id}" is not a backup id`,
      'Backup ids look like 20261123T174658Z-3f9a; "latest" means the newest committed backup. `lifeboat backups` lists them.',
    );
  }
  if (id === "latest") {
    const { backups, invalid } = await listBackups(store, profile);
    const newest = backups[0];
    const newerInvalid = invalid.filter((i) => !newest || i.key > `${profile}/${newest.id}/`).map((i) => i.key);
    if (newerInvalid.length) {
      throw new LifeboatError(
        "MANIFEST_INVALID",
        `the newest backup folder${newerInvalid.length > 1 ? "s have" : " has"} an unreadable manifest (${newerInvalid.join(", ")}), so "latest" cannot say which backup is the newest${newest ? `; the newest readable one is ${newest.id}` : ""}`,
        newest
          ? `Pass the id explicitly (e.g. ${newest.id}) once you have checked that the damaged one is not the backup you need; \`lifeboat backups\` shows both.`
          : "Check the store: the manifest was damaged or edited.",
        { invalid: newerInvalid },
      );
    }
    if (!newest)
      throw new LifeboatError(
        "BACKUP_NOT_FOUND",
        `profile "${profile}" has no committed backups in ${store.description}`,
        "Run `lifeboat backup` first, or check the profile's storage settings.",
      );
    return newest;
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
