import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { BackupManifest, MANIFEST_FORMAT, type Compression } from "../../shared/manifest.ts";
import { findZstd, zstdCompressArgs, ZSTD_LEVEL } from "../compress/zstd-cli.ts";
import { parseRecipient } from "../crypto/age-keys.ts";
import { createAgeEncryptStream } from "../crypto/age-encrypt.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { profileStore, resolveConn, toolsFor } from "../engine/profile-runtime.ts";
import { ProgressTracker, tableFromVerboseLine } from "../engine/progress-tracker.ts";
import { pgEnv } from "../postgres/conn-info.ts";
import { serverVersion, withClient } from "../postgres/connect.ts";
import { assertDirectHost } from "../postgres/pooled-host.ts";
import { exportSnapshotWithCounts } from "../postgres/snapshot-counts.ts";
import { errorLines, startChild, type RunningChild } from "../process/child.ts";
import { LIFEBOAT_VERSION } from "../version.ts";
import { backupKeys, newBackupId } from "./backup-layout.ts";
import { HashCounter } from "./hash-counter.ts";
import { restoreCommandFor } from "./restore-command.ts";

export async function runBackup(profile: Profile, ctx: EngineContext): Promise<BackupManifest> {
  return ctx.journal.step(
    { kind: "backup.run", summary: `Backup of ${profile.database.database} (profile ${profile.name})`, profile: profile.name, details: { host: profile.database.host, database: profile.database.database } },
    () => backup(profile, ctx),
    (m) => ({ id: m.id, objectKey: m.object.key, bytes: m.object.bytes, sha256: m.object.sha256, tables: m.tables.length, rows: m.tables.reduce((a, t) => a + t.rows, 0) }),
  );
}

function compressionArgs(c: Compression): string[] {
  if (c === "pg_dump-zstd") return [`--compress=zstd:${ZSTD_LEVEL}`];
  if (c === "pg_dump-gzip") return ["--compress=1"];
  return ["--compress=0"];
}

async function backup(profile: Profile, ctx: EngineContext): Promise<BackupManifest> {
  const startedAt = new Date();
  assertDirectHost(profile.database.host);
  for (const r of profile.encryption.recipients) parseRecipient(r);
  const conn = await resolveConn(profile.database, ctx);

  // Everything that can fail cheaply fails here, before a snapshot is taken or a byte is uploaded.
  const { server, tableBytes } = await withClient(conn, async (c) => ({
    server: await serverVersion(c),
    tableBytes: Number(
      (await c.query(`SELECT coalesce(sum(pg_table_size(c.oid)),0)::bigint AS b FROM pg_class c JOIN pg_namespace n ON n.oid=c.relnamespace
        WHERE c.relkind IN ('r','m') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg_toast%'`)).rows[0].b,
    ),
  }));
  const tools = await toolsFor(profile, server.major, server.version, ctx.env);
  const zstd = await findZstd(ctx.env);
  const compression: Compression = zstd ? "zstd" : tools.major >= 16 ? "pg_dump-zstd" : "pg_dump-gzip";
  const store = await profileStore(profile, ctx);
  await store.check();

  const snap = await exportSnapshotWithCounts(conn);
  const children: RunningChild[] = [];
  const id = newBackupId(startedAt);
  const keys = backupKeys(profile.name, id, conn.database, compression);
  const progress = new ProgressTracker(ctx.onProgress, { operation: "backup", phase: "dump", totalBytes: tableBytes, tablesDone: 0, tablesTotal: snap.counts.length });
  let tablesDone = 0;
  try {
    const pgDump = startChild(tools.pgDump, ["--format=custom", ...compressionArgs(compression), `--snapshot=${snap.snapshotId}`, "--no-password", "--verbose"], {
      env: pgEnv(conn, ctx.env),
      stdio: ["ignore", "pipe", "pipe"],
      onStderrLine: (line) => {
        const table = tableFromVerboseLine(line);
        if (table) progress.update({ currentTable: table, tablesDone: tablesDone++ });
      },
    });
    children.push(pgDump);
    let plainBytes = 0;
    const plainCounter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        plainBytes += chunk.length;
        progress.update({ bytes: plainBytes });
        cb(null, chunk);
      },
    });
    let zstdProc: RunningChild | undefined;
    if (compression === "zstd") {
      zstdProc = startChild(zstd!, zstdCompressArgs(), { stdio: ["pipe", "pipe", "pipe"] });
      children.push(zstdProc);
    }
    const stored = new HashCounter({
      // The upload may only complete once every producer exited cleanly; otherwise a dump cut short by an error
      // would be stored as if it were whole.
      beforeEnd: async () => {
        const d = await pgDump.exit;
        if (d.code !== 0) {
          throw new LifeboatError("BACKUP_FAILED", `pg_dump failed (exit ${d.code ?? d.signal}): ${errorLines(d.stderr, 5).join(" | ")}`, "Nothing was stored. Fix the cause shown and run the backup again.", { stderr: errorLines(d.stderr) });
        }
        if (zstdProc) {
          const z = await zstdProc.exit;
          if (z.code !== 0) throw new LifeboatError("BACKUP_FAILED", `zstd failed (exit ${z.code ?? z.signal}): ${errorLines(z.stderr, 3).join(" | ")}`, "Nothing was stored. Check free memory and the zstd installation.");
        }
      },
    });
    const encrypt = createAgeEncryptStream(profile.encryption.recipients);
    const feeding = zstdProc
      ? Promise.all([pipeline(pgDump.child.stdout!, plainCounter, zstdProc.child.stdin!), pipeline(zstdProc.child.stdout!, encrypt, stored)])
      : pipeline(pgDump.child.stdout!, plainCounter, encrypt, stored);
    // If storage fails first, the producers are killed in `finally`; their pipeline errors are then secondary.
    const feedingDone = feeding.then(() => undefined, (e: unknown) => e);
    await store.putStream(keys.object, stored, { sizeHint: Math.max(tableBytes * 2, 64 * 1024 * 1024), ...(ctx.signal ? { signal: ctx.signal } : {}), onProgress: () => undefined });
    const feedError = await feedingDone;
    if (feedError) throw feedError;
    progress.update({ phase: "manifest", tablesDone: snap.counts.length }, true);

    const head = await store.head(keys.object);
    if (!head || head.bytes !== stored.bytes) {
      throw new LifeboatError("BACKUP_FAILED", `the store holds ${head?.bytes ?? "no"} bytes for ${keys.object}, but ${stored.bytes} were sent`, "The backup was not committed (no manifest). Check the storage target and run it again.");
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
      dumpBytes: plainBytes,
      databaseBytes: snap.databaseBytes,
      snapshot: snap.snapshotId,
      tables: snap.counts,
      compression: { algorithm: compression, level: ZSTD_LEVEL },
      encryption: { format: "age-v1", recipients: [...profile.encryption.recipients] },
      restoreCommand: "",
      lifeboatVersion: LIFEBOAT_VERSION,
    });
    manifest.restoreCommand = restoreCommandFor(manifest, profile.storage);
    // Written last: the manifest is the commit marker. Without it the object is never listed as restorable.
    await store.putSmall(keys.manifest, JSON.stringify(manifest, null, 2) + "\n", "application/json");
    return manifest;
  } finally {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGTERM");
    await snap.release().catch(() => undefined);
  }
}
