import { randomBytes } from "node:crypto";
import type { Compression } from "../../shared/manifest.ts";
import { MANIFEST_NAME } from "../../shared/manifest.ts";

/** Sortable, unique, and safe in S3 keys and file names: 20261123T174658Z-3f9a. */
export function newBackupId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
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
