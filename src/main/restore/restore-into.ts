import type { RestoreResult } from "../../shared/api/channels/backup-channels.ts";
import { createWriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { toolsFor } from "../engine/profile-runtime.ts";
import { ProgressTracker, tableFromVerboseLine } from "../engine/progress-tracker.ts";
import { pgEnv, type ConnInfo } from "../postgres/conn-info.ts";
import { serverVersion, withClient } from "../postgres/connect.ts";
import { startChild } from "../process/child.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { HashCounter } from "../backup/hash-counter.ts";
import { archiveStdin, decryptArchive, feedArchive, localObjectStream, stageVerifiedObject } from "./archive-source.ts";
import { createDatabase, dropDatabase, leftoverWarning, planTarget } from "./restore-target.ts";
import { pgRestoreFailed, proveCounts, restoreArgs, selectTables, type RestoreOptions } from "./restore-steps.ts";
import { restoreStreaming } from "./stream-restore.ts";

export type { RestoreOptions } from "./restore-steps.ts";

/**
 * Restores a committed backup into `opts.database` on the server of `server`. Success means pg_restore exited 0 AND
 * every table's row count equals the manifest's; the target is never touched by an object that is not the one the
 * backup stored. Two paths:
 * - a full restore into a new database streams the download straight into pg_restore, into a staging database that
 *   gets the target's name only once the object is proven whole and every count matches (stream-restore.ts);
 * - anything else (an existing empty target, --force, --table, --schema-only, --jobs N) first downloads the ciphertext
 *   and proves it whole, then restores.
 */
export async function restoreInto(
  profile: Profile,
  m: BackupManifest,
  store: BackupStore,
  identities: string[],
  server: ConnInfo,
  opts: RestoreOptions,
  ctx: EngineContext,
): Promise<RestoreResult> {
  const started = Date.now();
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const selected = selectTables(m, opts.tables);
  const target = await withClient(server, serverVersion);
  const tools = await toolsFor(
    profile,
    Math.max(m.pgDump.major, target.major),
    m.pgDump.major >= target.major ? m.pgDump.version : target.version,
    ctx.env,
  );
  const plan = await planTarget(server, opts.database, opts);
  const progress = new ProgressTracker(ctx.onProgress, {
    operation: "restore",
    phase: "download",
    totalBytes: m.object.bytes,
    tablesDone: 0,
    tablesTotal: (selected ?? m.tables).length,
  });
  let tablesDone = 0;
  const onStderrLine = (line: string): void => {
    const t = tableFromVerboseLine(line);
    if (t) progress.update({ currentTable: t, tablesDone: ++tablesDone });
  };
  const result = (tables: RestoreResult["tables"], created: boolean): RestoreResult => {
    progress.update({ phase: "done", bytes: m.object.bytes, tablesDone: tables.length }, true);
    const warnings = plan.leftoverStaging.map((l) => leftoverWarning(server.host, l));
    return {
      id: m.id,
      database: opts.database,
      host: server.host,
      created,
      tables,
      rows: tables.reduce((a, t) => a + t.expected, 0),
      jobs,
      durationMs: Date.now() - started,
      warnings,
    };
  };

  if (jobs === 1 && !plan.exists && !selected && !opts.schemaOnly) {
    const tables = await restoreStreaming({
      m,
      store,
      identities,
      server,
      opts,
      pgRestore: tools.pgRestore,
      progress,
      onStderrLine,
      ctx,
    });
    return result(tables, true);
  }

  const staged = await stageVerifiedObject(store, m, identities, ctx.tmpDir, ctx.signal);
  let created = false;
  try {
    // Nothing on the target has been touched up to here.
    if (!plan.exists) {
      await createDatabase(server, opts.database);
      created = true;
    }
    progress.phase("restore");
    const args = restoreArgs(opts, opts.database, plan.overwrite, selected);
    const source = localObjectStream(staged.path).pipe(
      new HashCounter({ hash: false, onBytes: (bytes) => progress.update({ bytes }) }),
    );
    const plain = await decryptArchive(source, m, identities);
    let exit;
    if (jobs === 1) {
      const pr = startChild(tools.pgRestore, [...args, "--single-transaction"], {
        env: pgEnv(plan.conn, ctx.env),
        stdio: [archiveStdin(plain), "ignore", "pipe"],
        onStderrLine,
      });
      const feed = feedArchive(plain, pr.child).catch(() => undefined);
      exit = await pr.exit;
      await feed;
      // pg_restore may stop reading once it has what it needs (--table, --schema-only), which breaks the pipe behind
      // it. The object was already proven whole, so only pg_restore's own verdict counts here.
      await plain.done.catch(() => undefined);
    } else {
      // Parallel restore needs a seekable archive, so the plaintext is staged in the private 0700 folder and removed
      // in `finally`. Trade-off documented in the README: faster, but not atomic and plaintext briefly on disk.
      const plainPath = join(dirname(staged.path), "archive.pgdump");
      await Promise.all([pipeline(plain.stream, createWriteStream(plainPath, { mode: 0o600 })), plain.done]);
      const pr = startChild(tools.pgRestore, [...args, `--jobs=${jobs}`, plainPath], {
        env: pgEnv(plan.conn, ctx.env),
        stdio: ["ignore", "ignore", "pipe"],
        onStderrLine,
      });
      exit = await pr.exit;
    }
    if (exit.code !== 0) {
      if (created) await dropDatabase(server, opts.database).catch(() => undefined);
      throw pgRestoreFailed(
        m,
        opts.database,
        exit.stderr,
        created ? "the database Lifeboat created was dropped again" : undefined,
      );
    }
    progress.phase("count");
    const tables = await proveCounts(
      plan.conn,
      m,
      opts,
      selected,
      `"${opts.database}" was kept for inspection; drop it when done.`,
    );
    return result(tables, created);
  } finally {
    await staged.cleanup();
  }
}
