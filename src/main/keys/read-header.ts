import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import type { BackupStore } from "../storage/backup-store.ts";
import { mapS3Error } from "../storage/s3-errors.ts";
import { S3Store } from "../storage/s3-store.ts";

/**
 * The first `limit` bytes of an object: enough for an age header (recipient stanzas and MAC), without downloading
 * a multi-gigabyte archive. S3 is asked for exactly that range; a folder file is read until the limit.
 */
export async function readObjectHead(store: BackupStore, key: string, limit = 16 * 1024): Promise<Buffer> {
  if (store instanceof S3Store) {
    const a = store.s3;
    try {
      const out = await a.client.send(
        new GetObjectCommand({ Bucket: a.bucket, Key: a.fullKey(key), Range: `bytes=0-${limit - 1}` }),
      );
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (e) {
      throw mapS3Error(e, a.context(`reading the header of ${key}`, key));
    }
  }
  const stream: Readable = await store.getStream(key);
  const chunks: Buffer[] = [];
  let seen = 0;
  try {
    for await (const c of stream) {
      chunks.push(c as Buffer);
      seen += (c as Buffer).length;
      if (seen >= limit) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, limit);
}
