import { pipeline } from "node:stream/promises";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { BackupManifest, MANIFEST_FORMAT, type Compression } from "../../shared/manifest.ts";
import { findZstd, ZSTD_LEVEL } from "../compress/zstd-cli.ts";
import { parseRecipient } from "../crypto/age-keys.ts";
import { createAgeEncryptStream } from "../crypto/age-encrypt.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore, resolveConn, toolsFor } from "../engine/profile-runtime.ts";
import { ProgressTracker } from "../engine/progress-tracker.ts";
import { pgEnv } from "../postgres/conn-info.ts";
import { serverVersion, withClient } from "../postgres/connect.ts";
import { assertDirectHost } from "../postgres/pooled-host.ts";
import { watchServer } from "../postgres/server-watch.ts";
import { exportSnapshot } from "../postgres/snapshot-counts.ts";
import { idleTimeoutMs } from "../engine/peer-timeouts.ts";
import { RunScope } from "../engine/run-scope.ts";

import { LIFEBOAT_VERSION } from "../version.ts";
import { backupRecipients } from "../keys/recipients.ts";
import { lockStored, prepareBackupLock } from "../object-lock/lock-backup.ts";
import { backupKeys, manifestBytes, newBackupId, sha256Hex } from "./backup-layout.ts";
import { storeConfigSnapshot } from "./config-snapshot.ts";
import type { ReplicaOutcome } from "../../shared/api/channels/replica-channels.ts";
import { replicate } from "../replicas/replicate.ts";
import { HashCounter } from "./hash-counter.ts";
import { startDump, type DumpPipeline } from "./dump-pipeline.ts";
import { restoreCommandFor } from "./restore-command.ts";
import { commitManifest, type BackupResult } from "./commit-manifest.ts";

export type { BackupResult } from "./commit-manifest.ts";

export type BackupRunResult = BackupResult & { replicas?: ReplicaOutcome[] };

/**
 * Backs up, then copies the new backup to every replica (each copy proven there and journaled on its own). A replica
 * that is down or full does not undo the committed backup: its outcome says so, and `lifeboat replicate` catches up.
 */
export async function runBackup(profile: Profile, ctx: EngineContext): Promise<BackupRunResult> {
  const manifest = await backupStep(profile, ctx);
  if (!profile.replicas.length) return manifest;
  if (ctx.signal?.aborted) {
    const error = "the run was cancelled after the backup committed; `lifeboat replicate` copies it";
    return {
      ...manifest,
      replicas: profile.replicas.map((r) => ({ name: r.name, store: "", copied: [], present: 0, failures: [], error })),
    };
  }
  return { ...manifest, replicas: await replicate(profile, ctx, { ids: [manifest.id] }) };
}

function backupStep(profile: Profile, ctx: EngineContext): Promise<BackupResult> {
  const startedAt = new Date();
  // Chosen before the start is journaled, so a run killed half-way can be matched to what it left in the store.
  const id = newBackupId(startedAt);
  return ctx.journal.step(
    {
      kind: "backup.run",
      summary: `Backup of ${profile.database.database} (profile ${profile.name})`,
      profile: profile.name,
      details: { host: profile.database.host, database: profile.database.database, id },
    },
    () => backup(profile, ctx, id, startedAt),
    ({ warnings, ...m }) => ({
      id: m.id,
      objectKey: m.object.key,
      bytes: m.object.bytes,
      sha256: m.object.sha256,
      manifestSha256: sha256Hex(manifestBytes(m)),
      tables: m.tables.length,
      rows: m.tables.reduce((a, t) => a + t.rows, 0),
      ...(m.lock ? { lock: m.lock } : {}),
      ...(m.retention ? { tiers: m.retention.generations.map((g) => `${g.tier} ${g.period}`) } : {}),
      // What went wrong after the commit is on the record beside the success, not only on the operator's screen.
      ...(warnings?.length ? { warnings } : {}),
    }),
  );
}

async function backup(profile: Profile, ctx: EngineContext, id: string, startedAt: Date): Promise<BackupResult> {
  const scope = new RunScope(ctx.signal);
  const progress = { state: "nothing was started" };
  try {
    return await backupIn(profile, ctx, id, startedAt, scope, progress);
  } catch (e) {
    const aborted = (e as { multipartAbortFailed?: { uploadId: string; error: string } }).multipartAbortFailed;
    const state = aborted
      ? `${progress.state.replace(", the unfinished upload aborted", "")}; the unfinished upload ${aborted.uploadId} could NOT be aborted (${aborted.error}): \`lifeboat doctor\` lists it and removes it`
      : progress.state;
    throw scope.explain(e, `backup ${id}`, state);
  } finally {
    scope.dispose();
  }
}

async function backupIn(
  profile: Profile,
  ctx: EngineContext,
  id: string,
  startedAt: Date,
  scope: RunScope,
  progressState: { state: string },
): Promise<BackupResult> {
  const what = `backup ${id}`;
  assertDirectHost(profile.database.host, profile.database.options);
  const recipients = backupRecipients(profile);
  for (const r of recipients) parseRecipient(r);
  const conn = await resolveConn(profile.database, ctx);
  const idleMs = idleTimeoutMs(ctx.env);

  // Everything that can fail cheaply fails here, before a snapshot is taken or a byte is uploaded.
  const { server, tableBytes } = await withClient(
    conn,
    async (c) => ({
      server: await serverVersion(c),
      tableBytes: Number(
        (
          await c.query(`SELECT coalesce(sum(pg_table_size(c.oid)),0)::bigint AS b FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace
        WHERE c.relkind IN ('r','m') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'`)
        ).rows[0].b,
      ),
    }),
    { queryTimeoutMs: idleMs },
  );
  const tools = await toolsFor(profile, server.major, server.version, ctx.env);
  const zstd = await findZstd(ctx.env);
  const compression: Compression = zstd ? "zstd" : tools.major >= 16 ? "pg_dump-zstd" : "pg_dump-gzip";
  const store = await profileStore(profile, ctx);
  await store.check();
  const lockPrep = await prepareBackupLock(profile, store, startedAt);
  scope.check(what, progressState.state);

  const snap = await exportSnapshot(conn);
  progressState.state = "nothing was committed: the snapshot was released";
  const keys = backupKeys(profile.name, id, conn.database, compression);
  const progress = new ProgressTracker(ctx.onProgress, {
    operation: "backup",
    phase: "dump",
    totalBytes: tableBytes,
    tablesDone: 0,
    tablesTotal: snap.tables,
  });
  // A frozen source fails the backup within about two idle timeouts, instead of holding the snapshot open for ever.
  const watch = watchServer(conn, idleMs, (e) => scope.fail(e), "the source database server");
  // Ending the snapshot's session also fails a count still waiting on a frozen server.
  const onStop = (): void => void snap.release();
  scope.signal.addEventListener("abort", onStop, { once: true });
  let tablesDone = 0;
  let dump: DumpPipeline | undefined;
  let poll: NodeJS.Timeout | undefined;
  try {
    scope.check(what, progressState.state);
    dump = startDump({
      pgDump: tools.pgDump,
      zstd,
      compression,
      snapshotId: snap.snapshotId,
      env: pgEnv(conn, ctx.env),
      signal: scope.signal,
      onTable: (table) => progress.update({ currentTable: table, tablesDone: tablesDone++ }),
    });
    progressState.state =
      "nothing was committed: pg_dump was stopped, the unfinished upload aborted, the snapshot released";
    const running = dump;
    // Counting runs in the exporting session, inside the same snapshot, while pg_dump reads it.
    const counting = snap.count().then(async (tables) => ({ tables, largeObjects: await snap.largeObjects() }));
    counting.catch(() => undefined);
    // Progress counts the uncompressed archive where the OS reports pg_dump's writes (Linux); else the stored bytes.
    poll = setInterval(() => {
      void running.dumpedBytes().then((bytes) => bytes !== undefined && progress.update({ bytes }));
    }, 250);
    const stored = new HashCounter({
      // The upload may only complete once every producer exited cleanly; otherwise a dump cut short by an error
      // would be stored as if it were whole.
      beforeEnd: async () => void (await running.finished),
      ...(process.platform === "linux"
        ? {}
        : { onBytes: (bytes: number) => progress.update({ bytes, totalBytes: undefined }) }),
    });
    const encrypting = pipeline(running.output, createAgeEncryptStream(recipients), stored);
    // If storage fails first, the producers are killed in `finally`; their pipeline errors are then secondary.
    const encryptDone = encrypting.then(
      () => undefined,
      (e: unknown) => e,
    );
    await store.putStream(keys.object, stored, {
      sizeHint: Math.max(tableBytes * 2, 64 * 1024 * 1024),
      signal: scope.signal,
    });
    progressState.state = `nothing was committed: the object ${keys.object} was uploaded but has no manifest, so it is never listed as a backup (\`lifeboat doctor\` removes it)`;
    const encryptError = await encryptDone;
    if (encryptError) throw encryptError;

    const { dumpBytes } = await running.finished;
    const { tables: counts, largeObjects } = await counting;
    progress.update({ phase: "manifest", tablesDone: counts.length }, true);

    const head = await store.head(keys.object);
    if (!head || head.bytes !== stored.bytes) {
      throw new LifeboatError(
        "BACKUP_FAILED",
        `the store holds ${head?.bytes ?? "no"} bytes for ${keys.object}, but ${stored.bytes} were sent`,
        "The backup was not committed (no manifest). Check the storage target and run it again.",
      );
    }
    const manifest = BackupManifest.parse({
      format: MANIFEST_FORMAT,
      id,
      profile: profile.name,
      database: conn.database,
      server: { version: server.version, major: server.major },
      pgDump: { version: tools.version, major: tools.major },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      object: { key: keys.object, bytes: stored.bytes, sha256: stored.sha256() },
      ...(dumpBytes !== undefined ? { dumpBytes } : {}),
      databaseBytes: snap.databaseBytes,
      snapshot: snap.snapshotId,
      tables: counts,
      largeObjects,
      compression: { algorithm: compression, level: ZSTD_LEVEL },
      encryption: { format: "age-v1", recipients: [...recipients] },
      restoreCommand: "",
      lifeboatVersion: LIFEBOAT_VERSION,
    });
    manifest.restoreCommand = restoreCommandFor(manifest, profile.storage);
    watch.stop();
    if (scope.signal.aborted) {
      // Stopped after the last byte went up: the object must not outlive the run that never committed it.
      await store.delete(keys.object).catch(() => undefined);
      progressState.state = "nothing was committed: the uploaded object was deleted again";
      scope.check(what, progressState.state);
    }
    if (lockPrep) {
      // Locked before the commit marker exists: a committed backup is never unlocked, even for a moment.
      const archive = await lockStored(lockPrep, keys.object);
      manifest.retention = {
        generations: lockPrep.generations.map((g) => ({ ...g, until: new Date(g.until).toISOString() })),
        lockUntil: lockPrep.until.toISOString(),
      };
      manifest.lock = {
        mode: archive.mode,
        retainUntil: archive.retainUntil,
        versionId: archive.versionId,
        ...(lockPrep.bucketRule ? { bucketRule: true } : {}),
      };
    }
    manifest.config = await storeConfigSnapshot(store, profile, keys.dir, new Date());
    if (lockPrep) await lockStored(lockPrep, manifest.config.key);
    // Written last: the manifest is the commit marker. Without it the object is never listed as restorable.
    const committed = await commitManifest(store, keys.manifest, manifest);
    // From here on the backup is committed: whatever fails now is a warning on a success, never a failure.
    if (lockPrep) {
      try {
        await lockStored(lockPrep, keys.manifest);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        const warning = `the manifest ${keys.manifest} is NOT locked (${why}): the archive and its configuration are, but until the manifest is locked it can be deleted or overwritten. \`lifeboat prune --apply\` sets the missing lock once the store allows it; \`lifeboat verify ${id}\` shows the lock state`;
        return { ...committed, warnings: [...(committed.warnings ?? []), warning] };
      }
    }
    return committed;
  } finally {
    watch.stop();
    clearInterval(poll);
    scope.signal.removeEventListener("abort", onStop);
    dump?.kill();
    await snap.release().catch(() => undefined);
  }
}
