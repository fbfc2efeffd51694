import type { Readable } from "node:stream";
import type { BackupStore } from "../storage/backup-store.ts";

/** Below this, a body is gathered in memory and sent in one request. */
export const SMALL_OBJECT = 4 * 1024 * 1024;

/**
 * Writes a body whose size is roughly known: small ones (most application files) in one PutObject, big ones streamed
 * in parts. Streaming every file would give each its own multipart uploader and its part buffers (8 MiB at least),
 * which for ten thousand small files is most of the run's time.
 */
export async function putObject(
  store: BackupStore,
  key: string,
  body: Readable,
  sizeHint: number,
  signal?: AbortSignal,
): Promise<void> {
  if (sizeHint > SMALL_OBJECT) {
    await store.putStream(key, body, { sizeHint, ...(signal ? { signal } : {}) });
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of body) {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error("aborted");
    chunks.push(c as Buffer);
  }
  await store.putSmall(key, Buffer.concat(chunks));
}
