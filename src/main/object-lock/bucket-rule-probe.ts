import { randomBytes } from "node:crypto";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { mapS3Error } from "../storage/s3-errors.ts";
import type { S3Access } from "../storage/s3-store.ts";
import { isRefusal, refusalText } from "./s3-refusal.ts";

/** Where probes go, under the store's prefix (so a rule that covers the backups covers them too). */
export const LOCK_PROBE_DIR = ".lifeboat-lock-probe";

/**
 * What a store whose S3 API shows no Object Lock (Cloudflare R2: GetObjectLockConfiguration is not implemented) does
 * with a delete: "refused" when a bucket rule covers the prefix (R2's bucket locks refuse deletes and overwrites of
 * the objects they cover), "deleted" when nothing protects it.
 */
export type BucketRuleProbe =
  { outcome: "refused"; refusal: string; key: string } | { outcome: "deleted"; key: string };

/**
 * Writes a small new object under the prefix and tries to delete it, as anyone holding the keys could: the only
 * way S3 credentials can see a bucket-level rule. A refused probe stays in the bucket, kept by the rule, like any
 * backup.
 */
export async function probeBucketRule(a: S3Access, prefixDescription: string): Promise<BucketRuleProbe> {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const key = `${LOCK_PROBE_DIR}/${stamp}-${randomBytes(4).toString("hex")}`;
  try {
    await a.client.send(
      new PutObjectCommand({
        Bucket: a.bucket,
        Key: a.fullKey(key),
        Body: `written by lifeboat to see whether a bucket rule keeps objects under ${prefixDescription} from deletion\n`,
        ContentType: "text/plain",
      }),
    );
  } catch (e) {
    throw mapS3Error(e, a.context("writing a probe object to see whether a bucket lock rule covers the prefix", key));
  }
  try {
    await a.client.send(new DeleteObjectCommand({ Bucket: a.bucket, Key: a.fullKey(key) }));
    return { outcome: "deleted", key };
  } catch (e) {
    if (isRefusal(e)) return { outcome: "refused", refusal: refusalText(e), key };
    throw mapS3Error(e, a.context("deleting a probe object to see whether a bucket lock rule covers the prefix", key));
  }
}
