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
import { exportSnapshot } from "../postgres/snapshot-counts.ts";

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

export type BackupRunResult = BackupManifest & { replicas?: ReplicaOutcome[] };

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

function backupStep(profile: Profile, ctx: EngineContext): Promise<BackupManifest> {
  return ctx.journal.step(
    {
      kind: "backup.run",
      summary: `Backup of ${profile.database.database} (profile ${profile.name})`,
      profile: profile.name,
      details: { host: profile.database.host, database: profile.database.database },
    },
    () => backup(profile, ctx),
    (m) => ({
      id: m.id,
      objectKey: m.object.key,
      bytes: m.object.bytes,
      sha256: m.object.sha256,
      manifestSha256: sha256Hex(manifestBytes(m)),
      tables: m.tables.length,
      rows: m.tables.reduce((a, t) => a + t.rows, 0),
      ...(m.lock ? { lock: m.lock } : {}),
      ...(m.retention ? { tiers: m.retention.generations.map((g) => `${g.tier} ${g.period}`) } : {}),
    }),
  );
}

function cancelled(): LifeboatError {
  return new LifeboatError(
    "BACKUP_FAILED",
    "the backup was cancelled; nothing was committed",
    "Run it again when ready.",
  );
}

async function backup(profile: Profile, ctx: EngineContext): Promise<BackupManifest> {
  const startedAt = new Date();
  assertDirectHost(profile.database.host, profile.database.options);
  const recipients = backupRecipients(profile);
  for (const r of recipients) parseRecipient(r);
  const conn = await resolveConn(profile.database, ctx);

  // Everything that can fail cheaply fails here, before a snapshot is taken or a byte is uploaded.
  const { server, tableBytes } = await withClient(conn, async (c) => ({
    server: await serverVersion(c),
    tableBytes: Number(
      (
        await c.query(`SELECT coalesce(sum(pg_table_size(c.oid)),0)::bigint AS b FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace
        WHERE c.relkind IN ('r','m') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'`)
      ).rows[0].b,
    ),
  }));
  const tools = await toolsFor(profile, server.major, server.version, ctx.env);
  const zstd = await findZstd(ctx.env);
  const compression: Compression = zstd ? "zstd" : tools.major >= 16 ? "pg_dump-zstd" : "pg_dump-gzip";
  const store = await profileStore(profile, ctx);
  await store.check();
  const lockPrep = await prepareBackupLock(profile, store, startedAt);

  const snap = await exportSnapshot(conn);
  const id = newBackupId(startedAt);
  const keys = backupKeys(profile.name, id, conn.database, compression);
  const progress = new ProgressTracker(ctx.onProgress, {
    operation: "backup",
    phase: "dump",
    totalBytes: tableBytes,
    tablesDone: 0,
    tablesTotal: snap.tables,
  });
  let tablesDone = 0;
  let dump: DumpPipeline;
  try {
    dump = startDump({
      pgDump: tools.pgDump,
      zstd,
      compression,
      snapshotId: snap.snapshotId,
      env: pgEnv(conn, ctx.env),
      onTable: (table) => progress.update({ currentTable: table, tablesDone: tablesDone++ }),
    });
  } catch (e) {
    await snap.release().catch(() => undefined);
    throw e;
  }
  // Counting runs in the exporting session, inside the same snapshot, while pg_dump reads it.
  const counting = snap.count();
  counting.catch(() => undefined);
  const onAbort = (): void => dump.kill();
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  // Progress counts the uncompressed archive where the OS reports pg_dump's writes (Linux); else the stored bytes.
  const poll = setInterval(() => {
    void dump.dumpedBytes().then((bytes) => bytes !== undefined && progress.update({ bytes }));
  }, 250);
  try {
    const stored = new HashCounter({
      // The upload may only complete once every producer exited cleanly; otherwise a dump cut short by an error
      // would be stored as if it were whole.
      beforeEnd: async () => void (await dump.finished),
      ...(process.platform === "linux"
        ? {}
        : { onBytes: (bytes: number) => progress.update({ bytes, totalBytes: undefined }) }),
    });
    const encrypting = pipeline(dump.output, createAgeEncryptStream(recipients), stored);
    // If storage fails first, the producers are killed in `finally`; their pipeline errors are then secondary.
    const encryptDone = encrypting.then(
      () => undefined,
      (e: unknown) => e,
    );
    await store.putStream(keys.object, stored, {
      sizeHint: Math.max(tableBytes * 2, 64 * 1024 * 1024),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const encryptError = await encryptDone;
    if (encryptError) throw encryptError;

    const { dumpBytes } = await dump.finished;
    const counts = await counting;
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
      compression: { algorithm: compression, level: ZSTD_LEVEL },
      encryption: { format: "age-v1", recipients },
      restoreCommand: "",
      lifeboatVersion: LIFEBOAT_VERSION,
    });
    manifest.restoreCommand = restoreCommandFor(manifest, profile.storage);
    if (ctx.signal?.aborted) {
      // Cancelled after the last byte went up: the object must not outlive the run that never committed it.
      await store.delete(keys.object).catch(() => undefined);
      throw cancelled();
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
    await store.putSmall(keys.manifest, manifestBytes(manifest), "application/json");
    if (lockPrep) {
      await lockStored(lockPrep, keys.manifest).catch((e: unknown) => {
        throw new LifeboatError(
          "LOCK_NOT_TAKEN",
          `backup ${id} is committed and restorable, but its manifest could not be locked: ${e instanceof Error ? e.message : String(e)}`,
          "`lifeboat prune --apply` sets the missing lock once the store allows it; until then the manifest can be deleted.",
        );
      });
    }
    return manifest;
  } finally {
    clearInterval(poll);
    ctx.signal?.removeEventListener("abort", onAbort);
    dump.kill();
    await snap.release().catch(() => undefined);
  }
}
