import { randomBytes } from "node:crypto";
import { createHash } from "node:crypto";
import type { BackupManifest, Compression } from "../../shared/manifest.ts";
import { MANIFEST_NAME } from "../../shared/manifest.ts";

/**
 * Sortable, unique, and safe in S3 keys and file names: 20261123T174658Z-3f9a. The suffix is the millisecond in three
 * hex digits (000–3e7) and one random nibble, so two backups started in the same second still sort in the order they
 * started (the by-hand recipe and "latest" pick the newest by sorting ids); ids made before this had four random hex
 * digits and match the same pattern.
 */
export function newBackupId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const ms = now.getUTCMilliseconds().toString(16).padStart(3, "0");
  return `${stamp}-${ms}${(randomBytes(1)[0]! & 15).toString(16)}`;
}

export const BACKUP_ID = /^\d{8}T\d{6}Z-[0-9a-f]{4}$/;

export function objectSuffix(compression: Compression): string {
  return compression === "zstd" ? ".pgdump.zst.age" : ".pgdump.age";
}

/** Every backup is a folder: <profile>/<id>/<database>.pgdump.zst.age plus manifest.json, written last. */
export function backupKeys(
  profile: string,
  id: string,
  database: string,
  compression: Compression,
): { dir: string; object: string; manifest: string } {
  const dir = `${profile}/${id}`;
  const safeDb = database.replace(/[^A-Za-z0-9_.-]/g, "_");
  return { dir, object: `${dir}/${safeDb}${objectSuffix(compression)}`, manifest: `${dir}/${MANIFEST_NAME}` };
}

/** The profile's configuration (references only) as it was for a backup, stored in the backup's folder. */
export const CONFIG_SNAPSHOT_NAME = "profile.json";
/** Evidence about a backup written after it (a passed verify): a folder inside the backup's folder. */
export const EVIDENCE_DIR = "evidence";

/** When a backup was made, from its id (to the second); null for a name that is not a backup id. */
export function idTime(id: string): number | null {
  if (!BACKUP_ID.test(id)) return null;
  const t = Date.parse(
    `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${id.slice(11, 13)}:${id.slice(13, 15)}Z`,
  );
  return Number.isFinite(t) ? t : null;
}

/** The manifest exactly as it is stored: what its digest (journaled with every deletion) is taken over. */
export function manifestBytes(m: BackupManifest): string {
  return JSON.stringify(m, null, 2) + "\n";
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}
