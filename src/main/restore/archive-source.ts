import { createReadStream, createWriteStream } from "node:fs";
import { chmod, mkdtemp, open, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { findZstd, zstdDecompressArgs } from "../compress/zstd-cli.ts";
import { createAgeDecryptStream } from "../crypto/age-decrypt.ts";
import { checkIdentityOpens } from "../crypto/age-header.ts";
import { HashCounter } from "../backup/hash-counter.ts";
import { errorLines, startChild, terminate, type RunningChild } from "../process/child.ts";
import { downloadObject } from "./download-object.ts";
import { isLocalDiskError, localDiskError } from "../process/local-disk-error.ts";
import { trackTemp } from "../process/temp-files.ts";
import type { BackupStore } from "../storage/backup-store.ts";

/** Size first: a truncated or padded object is caught by one HEAD request, before anything is downloaded. */
export async function checkStoredSize(store: BackupStore, m: BackupManifest): Promise<void> {
  const head = await store.head(m.object.key);
  if (!head)
    throw new LifeboatError(
      "BACKUP_NOT_FOUND",
      `backup ${m.id}'s data object ${m.object.key} is missing although its manifest exists`,
      "Use another backup; check the bucket's lifecycle rules.",
    );
  if (head.bytes < m.object.bytes) {
    throw new LifeboatError(
      "OBJECT_TRUNCATED",
      `backup ${m.id} is truncated: ${head.bytes} of ${m.object.bytes} bytes are stored`,
      "Nothing was restored. Use an earlier backup, and check the storage target for failed writes.",
    );
  }
  if (head.bytes > m.object.bytes) {
    throw new LifeboatError(
      "OBJECT_CORRUPT",
      `backup ${m.id} has ${head.bytes} bytes stored but its manifest says ${m.object.bytes}`,
      "Nothing was restored. The object was altered after it was written; use an earlier backup.",
    );
  }
}

/**
 * A pass-through that fails the stream at its end unless the size, and the sha256 too, equal the manifest's: the
 * stream never ends cleanly for a reader behind it when the object is not the one the backup stored.
 */
export function integrityCheck(m: BackupManifest, onBytes?: (total: number) => void): HashCounter {
  const counter: HashCounter = new HashCounter({
    ...(onBytes ? { onBytes } : {}),
    beforeEnd: async () => {
      if (counter.bytes !== m.object.bytes) {
        throw new LifeboatError(
          "OBJECT_TRUNCATED",
          `backup ${m.id}: read ${counter.bytes} of ${m.object.bytes} bytes`,
          "Nothing was restored. Use an earlier backup.",
        );
      }
      assertDigest(counter, m);
    },
  });
  return counter;
}

export function assertDigest(counter: HashCounter, m: BackupManifest): void {
  if (counter.sha256() !== m.object.sha256) {
    throw new LifeboatError(
      "OBJECT_CORRUPT",
      `backup ${m.id} fails its checksum: sha256 ${counter.sha256().slice(0, 16)}… differs from the manifest's ${m.object.sha256.slice(0, 16)}…`,
      "Nothing was restored. The stored object was altered or damaged; use an earlier backup.",
    );
  }
}

/** Private temporary folders of restores are named so; `lifeboat doctor` finds those a killed run left. */
export const TEMP_DIR_PREFIX = "lifeboat-restore-";
/** Inside each: who made it (pid and host), so doctor can tell a live run's folder from a dead one's. */
export const TEMP_OWNER_FILE = "owner";

export async function privateTempDir(base?: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const parent = base ?? tmpdir();
  let dir: string;
  try {
    dir = await mkdtemp(join(parent, TEMP_DIR_PREFIX));
    await chmod(dir, 0o700);
    await writeFile(join(dir, TEMP_OWNER_FILE), `${process.pid} ${hostname()}\n`, { mode: 0o600 });
  } catch (e) {
    throw isLocalDiskError(e) ? localDiskError(e, parent, "make a private temporary folder", TEMP_HINT) : e;
  }
  return { dir, cleanup: trackTemp(dir) };
}

const TEMP_HINT =
  "Free space in the temporary folder or set TMPDIR to another one. A full restore into a new database (without --table, --schema-only or --jobs) streams and needs no temporary space.";

/**
 * Downloads the encrypted object into a private folder and proves it whole (size, sha256, and that the identity opens
 * its header) before the caller touches any database. Only ciphertext touches the disk.
 */
export async function stageVerifiedObject(
  store: BackupStore,
  m: BackupManifest,
  identities: string[],
  tmpBase?: string,
  signal?: AbortSignal,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  await checkStoredSize(store, m);
  const tmp = await privateTempDir(tmpBase);
  try {
    const path = join(tmp.dir, "object.age");
    const counter = integrityCheck(m);
    await downloadObject(store, m, counter, [createWriteStream(path, { mode: 0o600 })], signal).catch((e: unknown) => {
      throw isLocalDiskError(e) ? localDiskError(e, tmp.dir, "download the encrypted backup", TEMP_HINT) : e;
    });
    assertDigest(counter, m);
    const fh = await open(path, "r");
    try {
      const head = Buffer.alloc(Math.min(m.object.bytes, 64 * 1024));
      await fh.read(head, 0, head.length, 0);
      await checkIdentityOpens(head, identities);
    } finally {
      await fh.close();
    }
    return { path, cleanup: tmp.cleanup };
  } catch (e) {
    await tmp.cleanup();
    throw e;
  }
}

export interface PlainArchive {
  stream: Readable;
  /** True when `stream` is zstd's own stdout pipe: the program reading the archive gets it as its stdin (feedArchive). */
  osPipe: boolean;
  /** Resolves when decryption and decompression finished cleanly; rejects with the first failure. */
  done: Promise<void>;
  kill(): void;
}

/** ciphertext -> age decrypt -> zstd -d, as a readable plaintext pg_dump archive. Aborting `signal` ends zstd. */
export async function decryptArchive(
  source: Readable,
  m: BackupManifest,
  identities: string[],
  signal?: AbortSignal,
): Promise<PlainArchive> {
  const decrypt = createAgeDecryptStream(identities);
  if (m.compression.algorithm !== "zstd") {
    return {
      stream: source.pipe(decrypt),
      osPipe: false,
      done: pipeline(source, decrypt).then(() => undefined),
      kill: () => source.destroy(),
    };
  }
  const zstd = await findZstd();
  if (!zstd)
    throw new LifeboatError(
      "TOOLS_MISSING",
      "this backup is zstd-compressed and no zstd program was found",
      "Install zstd (apt install zstd, brew install zstd, or the zstd release for Windows) or set LIFEBOAT_ZSTD.",
    );
  const z: RunningChild = startChild(zstd, zstdDecompressArgs(), {
    stdio: ["pipe", "pipe", "pipe"],
    ...(signal ? { signal } : {}),
  });
  const feed = pipeline(source, decrypt, z.child.stdin!);
  const done = Promise.all([
    feed,
    z.exit.then((r) => {
      if (r.code !== 0)
        throw new LifeboatError(
          "ARCHIVE_INVALID",
          `zstd could not decompress backup ${m.id}: ${errorLines(r.stderr, 3).join(" | ")}`,
          "Use an earlier backup.",
        );
    }),
  ]).then(() => undefined);
  done.catch(() => undefined); // the caller awaits it; this only keeps an early failure from being "unhandled"
  return {
    stream: z.child.stdout!,
    osPipe: true,
    done,
    kill: () => {
      source.destroy();
      terminate(z.child);
    },
  };
}

/** The stdio entry for the program that reads the plaintext archive (pg_restore): zstd's pipe itself where there is one. */
export function archiveStdin(plain: PlainArchive): Readable | "pipe" {
  return plain.osPipe ? plain.stream : "pipe";
}

/**
 * Feeds the archive to a program started with archiveStdin(plain). Through an OS pipe (zstd -> pg_restore) the
 * plaintext never passes through Node: Node only closes its own copy of the pipe, so the reader sees the real end (and
 * zstd a broken pipe if the reader dies). Otherwise Node pipes the decrypted stream into the program's stdin.
 */
export function feedArchive(plain: PlainArchive, child: ChildProcess): Promise<void> {
  if (plain.osPipe) {
    plain.stream.destroy();
    return Promise.resolve();
  }
  return pipeline(plain.stream, child.stdin!);
}

export function localObjectStream(path: string): Readable {
  return createReadStream(path, { highWaterMark: 1024 * 1024 });
}
