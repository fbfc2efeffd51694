import type { BackupCatalog } from "../../shared/api/channels/backup-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { BackupManifest, MANIFEST_NAME } from "../../shared/manifest.ts";
import type { BackupStore } from "../storage/backup-store.ts";

export async function listBackups(store: BackupStore, profile: string): Promise<BackupCatalog> {
  const objects = await store.list(`${profile}/`);
  const dirs = new Map<string, { keys: string[]; bytes: number }>();
  for (const o of objects) {
    const dir = o.key.slice(0, o.key.lastIndexOf("/"));
    const d = dirs.get(dir) ?? { keys: [], bytes: 0 };
    d.keys.push(o.key);
    d.bytes += o.bytes;
    dirs.set(dir, d);
  }
  const catalog: BackupCatalog = { backups: [], incomplete: [], invalid: [] };
  for (const [dir, d] of dirs) {
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
