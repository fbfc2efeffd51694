import type { StorageConfig } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { rememberSecret } from "../secrets/redact.ts";
import type { BackupStore } from "./backup-store.ts";
import { FolderStore } from "./folder-store.ts";
import { S3Store } from "./s3-store.ts";

/**
 * The store a profile's storage section describes. S3 credentials come from the profile's secret references when it
 * has them; otherwise the AWS SDK's default chain is used (AWS_* environment variables, ~/.aws, instance roles),
 * which is what a scheduler on EC2 or Kubernetes usually wants.
 */
export async function openStore(
  storage: StorageConfig,
  resolveSecret: (ref: string) => Promise<string>,
  opts: { idleTimeoutMs?: number } = {},
): Promise<BackupStore> {
  if (storage.kind === "folder") return new FolderStore(storage.path);

  let credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  if (storage.accessKeyId || storage.secretAccessKey) {
    if (!storage.accessKeyId || !storage.secretAccessKey) {
      throw new LifeboatError(
        "CONFIG_INVALID",
        `the storage section sets ${storage.accessKeyId ? "accessKeyId" : "secretAccessKey"} but not ${storage.accessKeyId ? "secretAccessKey" : "accessKeyId"}`,
        "set both references, or neither to use the AWS_* environment variables and ~/.aws",
      );
    }
    const [accessKeyId, secretAccessKey] = await Promise.all([
      resolveSecret(storage.accessKeyId),
      resolveSecret(storage.secretAccessKey),
    ]);
    // The key id is not secret to AWS, but it identifies the account: it is scrubbed from logs like the secret.
    rememberSecret(accessKeyId);
    rememberSecret(secretAccessKey);
    credentials = { accessKeyId, secretAccessKey };
  }
  return new S3Store({
    bucket: storage.bucket,
    prefix: storage.prefix,
    region: storage.region,
    ...(storage.endpoint ? { endpoint: storage.endpoint } : {}),
    forcePathStyle: storage.forcePathStyle,
    ...(credentials ? { credentials } : {}),
    ...(storage.serverSideEncryption ? { serverSideEncryption: storage.serverSideEncryption } : {}),
    ...(storage.sseKmsKeyId ? { sseKmsKeyId: storage.sseKmsKeyId } : {}),
    ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
  });
}
