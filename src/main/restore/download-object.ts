import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { HashCounter } from "../backup/hash-counter.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { isLocalDiskError } from "../process/local-disk-error.ts";

/** The stream was torn down because a reader downstream stopped, not because the store failed. */
export const isCutOff = (e: unknown): boolean =>
  ["ERR_STREAM_PREMATURE_CLOSE", "EPIPE", "ERR_STREAM_DESTROYED"].includes((e as { code?: string }).code ?? "");

/**
 * Streams the backup's object from the store through `integrity` (and on into `rest`). Resolves when the object
 * arrived whole; rejects with the integrity check's own error when it is not the object the backup stored, and
 * with STORAGE_UNREACHABLE when the download broke off on its way (a dropped connection, a drive unplugged): that is
 * not a damaged backup, and the operator must be told which of the two it is.
 *
 * The returned promise is also the only place a failing download shows: a plain .pipe() would leave every reader
 * behind it waiting forever.
 */
export async function downloadObject(
  store: BackupStore,
  m: BackupManifest,
  integrity: HashCounter,
  rest: Writable[],
  signal?: AbortSignal,
): Promise<void> {
  let body;
  try {
    body = await store.getStream(m.object.key, signal ? { signal } : {});
  } catch (e) {
    // Readers already waiting behind these streams learn of it too (through their own pipelines; a stream nobody
    // listens to yet must not turn the error into an uncaught exception).
    for (const s of [integrity, ...rest]) {
      s.once("error", () => undefined);
      s.destroy(e instanceof Error ? e : new Error(String(e)));
    }
    throw e;
  }
  try {
    await pipeline([body, integrity, ...rest]);
  } catch (e) {
    throw downloadFailure(e, m, integrity.bytes, store.description, signal);
  }
}

function downloadFailure(e: unknown, m: BackupManifest, bytes: number, where: string, signal?: AbortSignal): unknown {
  // This machine's disk filling up (or read-only) under the file being written is not the store's fault.
  if (e instanceof LifeboatError || isCutOff(e) || signal?.aborted || isLocalDiskError(e)) return e;
  const code = (e as { code?: string }).code;
  const reason = e instanceof Error ? `${code ? `${code}: ` : ""}${e.message}` : String(e);
  return new LifeboatError(
    "STORAGE_UNREACHABLE",
    `the download of backup ${m.id} from ${where} broke off after ${bytes} of ${m.object.bytes} bytes (${reason})`,
    "This says nothing about the backup itself. Check the connection to the storage (network, VPN, the drive) and run it again.",
    { bytes, expectedBytes: m.object.bytes },
  );
}
