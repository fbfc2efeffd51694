// pg_restore from a ciphertext already downloaded and proven whole (stageVerifiedObject): one transaction through an
// OS pipe (zstd's stdout is pg_restore's stdin, no plaintext on disk), or `--jobs N` from a decrypted file that has no
// name (plaintext-file.ts).
import { dirname } from "node:path";
import type { BackupManifest } from "../../shared/manifest.ts";
import { HashCounter } from "../backup/hash-counter.ts";
import type { ProgressTracker } from "../engine/progress-tracker.ts";
import { pgEnv, type ConnInfo } from "../postgres/conn-info.ts";
import { startChild } from "../process/child.ts";
import { archiveStdin, decryptArchive, feedArchive, localObjectStream } from "./archive-source.ts";
import { openPlaintextFile } from "./plaintext-file.ts";

export interface StagedRestoreInput {
  /** The proven ciphertext, inside its private temporary folder. */
  objectPath: string;
  m: BackupManifest;
  identities: string[];
  /** The database restored into (connection with its name). */
  conn: ConnInfo;
  /** pg_restore's arguments without --single-transaction / --jobs / the archive. */
  args: string[];
  jobs: number;
  pgRestore: string;
  progress: ProgressTracker;
  onStderrLine: (line: string) => void;
  env: NodeJS.ProcessEnv | undefined;
  signal: AbortSignal;
}

export async function restoreStaged(i: StagedRestoreInput): Promise<{ code: number | null; stderr: string }> {
  const source = localObjectStream(i.objectPath).pipe(
    new HashCounter({ hash: false, onBytes: (bytes) => i.progress.update({ bytes }) }),
  );
  const plain = await decryptArchive(source, i.m, i.identities, i.signal);
  try {
    if (i.jobs === 1) {
      const pr = startChild(i.pgRestore, [...i.args, "--single-transaction"], {
        env: pgEnv(i.conn, i.env),
        stdio: [archiveStdin(plain), "ignore", "pipe"],
        onStderrLine: i.onStderrLine,
        signal: i.signal,
      });
      const feed = feedArchive(plain, pr.child).catch(() => undefined);
      const exit = await pr.exit;
      await feed;
      // pg_restore may stop reading once it has what it needs (--table, --schema-only), which breaks the pipe behind
      // it. The object was already proven whole, so only pg_restore's own verdict counts here.
      await plain.done.catch(() => undefined);
      return exit;
    }
    const file = await openPlaintextFile(dirname(i.objectPath));
    try {
      // A full temp disk is the cause when it happens; zstd's broken pipe after it is not.
      const [filled, decoded] = await Promise.allSettled([file.fill(plain.stream), plain.done]);
      if (filled.status === "rejected") throw filled.reason;
      if (decoded.status === "rejected") throw decoded.reason;
      const pr = startChild(i.pgRestore, [...i.args, `--jobs=${i.jobs}`, file.archivePath], {
        env: pgEnv(i.conn, i.env),
        stdio: ["ignore", "ignore", "pipe", ...file.extraStdio],
        onStderrLine: i.onStderrLine,
        signal: i.signal,
        dieWithParent: true,
      });
      return await pr.exit;
    } finally {
      await file.dispose();
    }
  } finally {
    plain.kill();
  }
}
