// A full restore into a new database, with the download streamed straight into pg_restore: the restore takes about
// as long as pg_restore alone instead of download + pg_restore (on a large backup, the download is minutes of RTO).
//
// The guarantee the staged path gives — the target is never touched by an object that is not the one the backup
// stored — holds here through a staging database:
// - the stored size (one HEAD) and the age header (the identity opens it) are checked before anything is created;
// - pg_restore writes into "lifeboat_restoring_<random>", never into the target's name;
// - age authenticates every 64 KiB chunk before it is released, and the stream cannot end cleanly unless the size and
//   sha256 equal the manifest's, so a damaged object fails pg_restore or the integrity check, and the staging database
//   is dropped;
// - only when pg_restore exited 0, the object proved whole AND every count matched, is the staging database renamed
//   to the target. Until then, the target name does not exist on the server.
import type { TableComparison } from "../../shared/api/channels/backup-channels.ts";
import { randomBytes } from "node:crypto";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { EngineContext } from "../engine/engine-context.ts";
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
import { createDatabase, dropDatabase, renameDatabase, STAGING_PREFIX } from "./restore-target.ts";
import { pgRestoreFailed, proveCounts, restoreArgs, type RestoreOptions } from "./restore-steps.ts";

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
  ctx: EngineContext;
}

export function stagingName(): string {
  return `${STAGING_PREFIX}${randomBytes(5).toString("hex")}`;
}

export async function restoreStreaming(i: StreamRestoreInput): Promise<TableComparison[]> {
  const { m, server, opts, progress } = i;
  await checkStoredSize(i.store, m);
  const integrity = integrityCheck(m, (bytes) => progress.update({ bytes }));
  const peek = new HeaderPeek(HEADER_PEEK_BYTES);
  const download = downloadObject(i.store, m, integrity, [peek], i.ctx.signal);
  download.catch(() => undefined); // its failure reaches the decrypting side too; reported from there
  let staging: string | undefined;
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
    staging = stagingName();
    await createDatabase(server, staging);
    progress.phase("restore");
    // zstd's stdout goes to pg_restore in the same tick it is spawned: had Node an event-loop turn in between, it could
    // read the first bytes of that pipe itself, and pg_restore would get an archive without its start.
    plain = await decryptArchive(peek, m, i.identities);
    const pr = startChild(i.pgRestore, [...restoreArgs(opts, staging, false, undefined), "--single-transaction"], {
      env: pgEnv(withDatabase(server, staging), i.ctx.env),
      stdio: [archiveStdin(plain), "ignore", "pipe"],
      onStderrLine: i.onStderrLine,
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

    progress.phase("count");
    const tables = await proveCounts(
      withDatabase(server, staging),
      m,
      opts,
      undefined,
      `The restored data was kept for inspection in database "${staging}" (the name "${opts.database}" was not used); drop it when done.`,
    ).catch((e: unknown) => {
      if (e instanceof LifeboatError && e.code === "ROWCOUNT_MISMATCH") staging = undefined; // kept, not dropped
      throw e;
    });
    try {
      await renameDatabase(server, staging, opts.database);
    } catch (e) {
      const kept = staging;
      staging = undefined;
      throw new LifeboatError(
        "RESTORE_FAILED",
        `backup ${m.id} was restored and proven (every count matches) in database "${kept}", but it could not be renamed to "${opts.database}": ${e instanceof Error ? e.message : String(e)}`,
        `The data is complete in "${kept}". Rename it yourself (ALTER DATABASE "${kept}" RENAME TO "${opts.database}") once nothing else holds that name, or use it as it is.`,
        { staging: kept },
      );
    }
    staging = undefined;
    return tables;
  } finally {
    if (plain) plain.kill();
    else peek.destroy(); // stopped before decrypting: end the download too
    if (staging) await dropDatabase(server, staging).catch(() => undefined);
  }
}
