// The one place a decrypted archive touches the disk: `pg_restore --jobs N` must seek in its archive (each worker
// reads the tables it restores), which no pipe can serve. Where the platform allows, the file has no name from its
// first moment: it is created, unlinked at once, written through the open descriptor and handed to pg_restore as
// /dev/fd/3 (on Linux, opening /proc/self/fd/N reopens the file itself, so every worker gets its own offset). No
// folder ever lists it, nothing can open it by name, and the kernel frees it when the last descriptor closes — when
// Lifeboat and pg_restore exit, however they exit, kill -9 and power loss included (the file system's orphan list).
// Elsewhere (macOS, Windows) /dev/fd is not a reopen, so the file keeps its name in the private 0700 folder and is
// removed first of everything when the operation ends, or by the exit handlers.
import type { FileHandle } from "node:fs/promises";
import { open, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { isLocalDiskError, localDiskError } from "../process/local-disk-error.ts";
import { trackTemp } from "../process/temp-files.ts";

export interface PlaintextFile {
  /** The archive path to give pg_restore. */
  archivePath: string;
  /** Extra stdio entries for pg_restore (the descriptor as fd 3 where the file has no name). */
  extraStdio: number[];
  /** Writes the decrypted archive into the file, failing with a clear error when the temp disk fills up. */
  fill(source: Readable): Promise<void>;
  /** Closes and removes it (unlinked already where it had no name). */
  dispose(): Promise<void>;
}

const NAMELESS = process.platform === "linux";

export async function openPlaintextFile(dir: string, nameless = NAMELESS): Promise<PlaintextFile> {
  const path = join(dir, "archive.pgdump");
  const hint =
    "Free space in the temporary folder (or set TMPDIR to a larger one), or restore with --jobs 1, which streams and needs no space.";
  let fh: FileHandle;
  try {
    fh = await open(path, "wx+", 0o600);
  } catch (e) {
    throw isLocalDiskError(e) ? localDiskError(e, dir, "stage the decrypted archive for pg_restore --jobs", hint) : e;
  }
  let forget: (() => Promise<void>) | undefined;
  if (nameless) await unlink(path);
  else forget = trackTemp(path, true);
  return {
    archivePath: nameless ? "/dev/fd/3" : path,
    extraStdio: nameless ? [fh.fd] : [],
    async fill(source) {
      try {
        // Written by hand: a FileHandle's own write stream keeps close() waiting unless it closes the handle itself.
        let position = 0;
        for await (const chunk of source as AsyncIterable<Buffer>) {
          for (let off = 0; off < chunk.length;) {
            const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, position);
            off += bytesWritten;
            position += bytesWritten;
          }
        }
      } catch (e) {
        throw isLocalDiskError(e)
          ? localDiskError(e, dir, "stage the decrypted archive for pg_restore --jobs", hint)
          : e;
      }
    },
    async dispose() {
      await fh.close().catch(() => undefined);
      await forget?.();
    },
  };
}
