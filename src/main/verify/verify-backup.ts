import { pipeline } from "node:stream/promises";
import type { DeepVerifyResult, TableComparison, VerifyResult } from "../../shared/api/channels/backup-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveIdentities, toolsFor } from "../engine/profile-runtime.ts";
import { ProgressTracker } from "../engine/progress-tracker.ts";
import { errorLines, startChild } from "../process/child.ts";
import {
  archiveStdin,
  assertDigest,
  checkStoredSize,
  decryptArchive,
  feedArchive,
  integrityCheck,
} from "../restore/archive-source.ts";
import { downloadObject } from "../restore/download-object.ts";
import { compareCounts, mismatches } from "../backup/compare-counts.ts";
import { RunScope } from "../engine/run-scope.ts";
import { CopyRowCounter } from "./copy-row-counter.ts";
import { deepVerify } from "./deep-verify.ts";
import { backupLockState } from "../object-lock/backup-lock-state.ts";
import { openBackupSource } from "../replicas/backup-source.ts";
import { recordVerified } from "./verified-evidence.ts";

export interface VerifyOptions {
  deep?: boolean;
  identityText?: string;
  /** Verify the copy in this store ("primary" or a replica's name); default the primary, or a replica if it is down. */
  store?: string;
}

function verdictReason(m: BackupManifest, tables: TableComparison[], deep: DeepVerifyResult | undefined): string {
  const rows = tables.reduce((a, t) => a + t.expected, 0).toLocaleString("en-US");
  const archive = `the stored object's size and SHA-256 match the manifest, it decrypts, and pg_restore read all ${tables.length} tables from it with exactly the manifest's ${rows} rows`;
  return deep
    ? `Backup ${m.id} restores: ${archive}; restored into a throwaway database (${deep.scratch === "local-cluster" ? "a temporary local cluster" : "the profile's scratch server"}), all ${deep.tables.length} tables hold exactly those counts.`
    : `Backup ${m.id} is whole: ${archive}. (A deep verify also restores it into a throwaway database.)`;
}

export async function verifyBackup(
  profile: Profile,
  id: string,
  ctx: EngineContext,
  opts: VerifyOptions = {},
): Promise<VerifyResult> {
  return ctx.journal.step(
    {
      kind: opts.deep ? "verify.deep" : "verify.run",
      summary: `${opts.deep ? "Deep verify" : "Verify"} of backup ${id} (profile ${profile.name})`,
      profile: profile.name,
      details: { id },
    },
    () => verify(profile, id, ctx, opts),
    (r) => ({
      id: r.id,
      bytes: r.bytes,
      tables: r.tables.length,
      rows: r.tables.reduce((a, t) => a + t.expected, 0),
      deep: r.deep ? { database: r.deep.database, tables: r.deep.tables.length } : undefined,
      source: r.source,
      ...(r.lock ? { lock: { status: r.lock.status, until: r.lock.until, mode: r.lock.mode } } : {}),
      evidence: r.evidence,
    }),
  );
}

async function verify(profile: Profile, id: string, ctx: EngineContext, opts: VerifyOptions): Promise<VerifyResult> {
  const scope = new RunScope(ctx.signal);
  try {
    return await verifyIn(profile, id, { ...ctx, signal: scope.signal }, opts);
  } catch (e) {
    throw scope.explain(e, `the verify of backup ${id}`, "nothing was changed anywhere (verify only reads)");
  } finally {
    scope.dispose();
  }
}

async function verifyIn(profile: Profile, id: string, ctx: EngineContext, opts: VerifyOptions): Promise<VerifyResult> {
  const started = Date.now();
  const source = await openBackupSource(profile, id, ctx, opts.store ? { store: opts.store } : {});
  const { store, manifest: m } = source;
  if (source.fallback) {
    progress0(ctx, `the primary store could not serve backup ${id} (${source.fallback}); verifying ${source.label}`);
  }
  const identities = await resolveIdentities(profile, ctx, opts.identityText);
  const tools = await toolsFor(profile, m.pgDump.major, m.pgDump.version, ctx.env);
  await checkStoredSize(store, m);

  const progress = new ProgressTracker(ctx.onProgress, {
    operation: "verify",
    phase: "download",
    totalBytes: m.object.bytes,
  });
  const integrity = integrityCheck(m, (bytes) => progress.update({ bytes }));
  const download = downloadObject(store, m, integrity, [], ctx.signal);
  download.catch(() => undefined); // settled below, with the rest
  const plain = await decryptArchive(integrity, m, identities, ctx.signal);
  // pg_restore -f - reads every block of the archive and writes it out as SQL: the archive must be whole and valid
  // for it to exit 0, and the COPY blocks it prints are counted row by row.
  const restore = startChild(tools.pgRestore, ["--file=-"], {
    stdio: [archiveStdin(plain), "pipe", "pipe"],
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const counter = new CopyRowCounter();
  const results = await Promise.allSettled([
    download,
    plain.done,
    feedArchive(plain, restore.child),
    pipeline(restore.child.stdout!, counter),
    restore.exit,
  ]);
  plain.kill();
  // The stored object's own integrity, or the download breaking off, is the root cause when it fails: reported first.
  const first = results.find(
    (r): r is PromiseRejectedResult => r.status === "rejected" && r.reason instanceof LifeboatError,
  );
  if (first) throw first.reason;
  assertDigest(integrity, m);
  const exit = await restore.exit;
  if (exit.code !== 0) {
    throw new LifeboatError(
      "ARCHIVE_INVALID",
      `pg_restore cannot read backup ${m.id}: ${errorLines(exit.stderr, 3).join(" | ")}`,
      "The archive is damaged although its checksum matched the manifest; use an earlier backup.",
      { stderr: errorLines(exit.stderr) },
    );
  }
  const otherFailure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (otherFailure) throw otherFailure.reason;

  const tables = compareCounts(m.tables, counter.counts);
  if (tables.some((t) => !t.ok)) {
    throw new LifeboatError(
      "ROWCOUNT_MISMATCH",
      `backup ${m.id}'s archive does not hold the rows its manifest counted: ${mismatches(tables)}`,
      "Do not rely on this backup; run a new backup and verify it.",
      { tables },
    );
  }
  const lo = counter.largeObjects();
  if (m.largeObjects && (lo.count !== m.largeObjects.count || lo.sha256 !== m.largeObjects.sha256)) {
    throw new LifeboatError(
      "ROWCOUNT_MISMATCH",
      `backup ${m.id}'s archive does not hold the large objects its manifest recorded: ${lo.count === m.largeObjects.count ? `their contents differ from the digest` : `${lo.count} in the archive, ${m.largeObjects.count} in the manifest`}`,
      "Do not rely on this backup; run a new backup and verify it.",
      { largeObjects: { expected: m.largeObjects.count, actual: lo.count } },
    );
  }
  progress.update({ phase: "archive verified", bytes: m.object.bytes }, true);
  const deep = opts.deep ? await deepVerify(profile, m, identities, store, ctx) : undefined;
  const evidence = await recordVerified(store, m, {
    deep: !!deep,
    at: new Date(),
    tables: tables.length,
    rows: tables.reduce((a, t) => a + t.expected, 0),
  });
  const lock = await backupLockState(store, m, Date.now()).catch(() => undefined);
  return {
    id: m.id,
    ok: true,
    bytes: m.object.bytes,
    sha256: m.object.sha256,
    tables,
    ...(m.largeObjects ? { largeObjects: { count: lo.count, ok: true as const } } : {}),
    ...(deep ? { deep } : {}),
    verdict: { pass: true, reason: verdictReason(m, tables, deep) },
    durationMs: Date.now() - started,
    source: {
      name: source.name,
      description: store.description,
      ...(source.fallback ? { fallback: source.fallback } : {}),
    },
    ...(lock ? { lock } : {}),
    evidence,
  };
}

export type { BackupManifest };

/** A one-off progress line (which copy is being read), for faces that show progress. */
function progress0(ctx: EngineContext, phase: string): void {
  ctx.onProgress?.({ operation: "verify", phase, bytes: 0 });
}
