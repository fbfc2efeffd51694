// A full restore with the download streamed straight into pg_restore: the restore takes about as long as pg_restore
// alone instead of download + pg_restore (on a large backup, the download is minutes of RTO).
//
// The guarantee the staged path gives — the target is never touched by an object that is not the one the backup
// stored — holds here through the staging database the caller restores into (restore-into.ts):
// - the stored size (one HEAD) and the age header (the identity opens it) are checked before the database is made;
// - age authenticates every 64 KiB chunk before it is released, and the stream cannot end cleanly unless the size and
//   sha256 equal the manifest's, so a damaged object fails pg_restore or the integrity check, and the caller drops
//   the staging database;
// - only when this resolved (pg_restore exited 0 and the object proved whole) and every count matched does the
//   caller give the staging database the target's name.
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { ProgressTracker } from "../engine/progress-tracker.ts";
import { pgEnv, withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import { checkIdentityOpens } from "../crypto/age-header.ts";
import { startChild } from "../process/child.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import {
  archiveStdin,
  assertDigest,
  checkStoredSize,
  decryptArchive,
  feedArchive,
  integrityCheck,
  type PlainArchive,
} from "./archive-source.ts";
import { downloadObject, isCutOff } from "./download-object.ts";
import { HeaderPeek } from "./header-peek.ts";
import { pgRestoreFailed, restoreArgs, type RestoreOptions } from "./restore-steps.ts";

/** Enough for an age header with over a hundred recipients, and little enough to pass before pg_restore reads. */
const HEADER_PEEK_BYTES = 16 * 1024;
const OBJECT_FAULTS = new Set(["OBJECT_CORRUPT", "OBJECT_TRUNCATED", "IDENTITY_WRONG"]);

const isObjectFault = (e: unknown): e is LifeboatError => e instanceof LifeboatError && OBJECT_FAULTS.has(e.code);

export interface StreamRestoreInput {
  m: BackupManifest;
  store: BackupStore;
  identities: string[];
  server: ConnInfo;
  opts: RestoreOptions;
  pgRestore: string;
  progress: ProgressTracker;
  onStderrLine: (line: string) => void;
  env: NodeJS.ProcessEnv | undefined;
  signal: AbortSignal;
  /** Runs once the identity proved it opens the object, before pg_restore starts: makes the database restored into. */
  prepare: () => Promise<string>;
}

/** Streams the backup into the database prepare() returns; resolves once pg_restore exited 0 and the object is whole. */
export async function restoreStreaming(i: StreamRestoreInput): Promise<void> {
  const { m, opts, progress } = i;
  await checkStoredSize(i.store, m);
  const integrity = integrityCheck(m, (bytes) => progress.update({ bytes }));
  const peek = new HeaderPeek(HEADER_PEEK_BYTES);
  const download = downloadObject(i.store, m, integrity, [peek], i.signal);
  download.catch(() => undefined); // its failure reaches the decrypting side too; reported from there
  let plain: PlainArchive | undefined;
  try {
    // The wrong key or an altered header fails here, before anything exists on the target server. Until the
    // decryption starts, the download waits on back-pressure after its first chunk.
    const prefix = await peek.prefix.catch(async (e: unknown) => {
      throw await download.then(
        () => e,
        (failure: unknown) => failure,
      ); // the download's own account of it
    });
    await checkIdentityOpens(prefix, i.identities);
    const database = await i.prepare();
    progress.phase("restore");
    // zstd's stdout goes to pg_restore in the same tick it is spawned: had Node an event-loop turn in between, it could
    // read the first bytes of that pipe itself, and pg_restore would get an archive without its start.
    plain = await decryptArchive(peek, m, i.identities, i.signal);
    const pr = startChild(i.pgRestore, [...restoreArgs(opts, database, undefined), "--single-transaction"], {
      env: pgEnv(withDatabase(i.server, database), i.env),
      stdio: [archiveStdin(plain), "ignore", "pipe"],
      onStderrLine: i.onStderrLine,
      signal: i.signal,
    });
    const fed = feedArchive(plain, pr.child).then(
      () => undefined,
      (e: unknown) => e,
    );
    const exit = await pr.exit;
    if (exit.code !== 0) plain.kill(); // pg_restore stopped reading: nothing downstream may wait for it
    const settled = (p: Promise<unknown>): Promise<unknown> =>
      p.then(
        () => undefined,
        (e: unknown) => e,
      );
    const [streamed, feedError, downloadError] = await Promise.all([settled(plain.done), fed, settled(download)]);
    // A damaged object is the root cause whenever it shows: pg_restore then only saw an archive cut off early.
    const objectFault = [streamed, feedError, downloadError].find(isObjectFault);
    if (objectFault) throw objectFault;
    if (exit.code !== 0) {
      if (downloadError && !isCutOff(downloadError)) throw downloadError; // the store failed mid-download
      throw pgRestoreFailed(m, opts.database, exit.stderr, "nothing was created under that name");
    }
    const other = [streamed, feedError, downloadError].find((e) => e !== undefined);
    if (other) throw other;
    assertDigest(integrity, m); // the stream could not have ended without it; checked again before the name is given
  } finally {
    if (plain) plain.kill();
    else peek.destroy(); // stopped before decrypting: end the download too
  }
}
