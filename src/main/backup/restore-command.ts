import type { StorageConfig } from "../../shared/config.ts";
import type { BackupManifest } from "../../shared/manifest.ts";

/**
 * The exact shell pipeline that restores this backup with standard tools only (aws or a folder copy, age, zstd,
 * pg_restore). It is stored in the manifest so a stranger holding the bucket and the key needs nothing else.
 * No secret appears: the key file and the target URL (postgresql://user@host:port/db of an empty database, the
 * password in PGPASSWORD) are placeholders the operator fills in. Owners and grants are restored as in the backup.
 */
export function restoreCommandFor(m: Pick<BackupManifest, "object" | "compression">, storage: StorageConfig): string {
  const decompress = m.compression.algorithm === "zstd" ? " | zstd -d" : "";
  return `${fetchCommand(m.object.key, storage)} | age -d -i lifeboat-identity.txt${decompress} | pg_restore --single-transaction --exit-on-error -d "$TARGET_DATABASE_URL"`;
}

export function fetchCommand(key: string, storage: StorageConfig): string {
  if (storage.kind === "folder") return `cat "${storage.path.replace(/[\\/]+$/, "")}/${key}"`;
  const full = [storage.prefix.replace(/^\/+|\/+$/g, ""), key].filter(Boolean).join("/");
  const endpoint = storage.endpoint ? ` --endpoint-url ${storage.endpoint}` : "";
  return `aws s3 cp${endpoint} "s3://${storage.bucket}/${full}" -`;
}
