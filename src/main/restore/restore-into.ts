import type { RestoreResult } from "../../shared/api/channels/backup-channels.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { idleTimeoutMs } from "../engine/peer-timeouts.ts";
import { restoreToolsFor } from "../engine/profile-runtime.ts";
import { ProgressTracker, tableFromVerboseLine } from "../engine/progress-tracker.ts";
import { RunScope } from "../engine/run-scope.ts";
import { withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import { serverVersion, withClient } from "../postgres/connect.ts";
import { watchServer } from "../postgres/server-watch.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { stageVerifiedObject } from "./archive-source.ts";
import { MAINTENANCE_QUERY_MS, leftoverWarning, planTarget, type TargetPlan } from "./restore-target.ts";
import { proveRestore, type RestoreProof } from "./prove-restore.ts";
import { pgRestoreFailed, restoreArgs, selectTables, type RestoreOptions } from "./restore-steps.ts";
import { intoStaging } from "./staging-database.ts";
import { restoreStaged } from "./staged-restore.ts";
import { restoreStreaming } from "./stream-restore.ts";

export type { RestoreOptions } from "./restore-steps.ts";

/**
 * Restores a committed backup into `opts.database` on the server of `server`. Success means pg_restore exited 0 AND
 * every table's row count equals the manifest's; the target is never touched by an object that is not the one the
 * backup stored. Where the target's name is taken by the result as a whole (a new database, or an overwrite of a
 * whole database), the backup is restored into a staging database that takes the name only once proven
 * (staging-database.ts), so a failure, a cancel or a kill never leaves partial data under it:
 * - one job and no selection: the download streams straight into pg_restore (stream-restore.ts);
 * - otherwise the ciphertext is downloaded and proven whole first, then restored (staged-restore.ts).
 * Into an existing empty database pg_restore works in place, in one transaction (with --jobs N, in several: not
 * atomic). --table into a database that holds data is refused: pg_restore --table re-creates a table without its keys.
 *
 * Ctrl-C, SIGTERM or the console's cancel (ctx.signal) stop it: children ended, staging dropped, temp files removed,
 * and the error says what state the target is in. A target server that stops answering fails it the same way.
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
  const scope = new RunScope(ctx.signal);
  const state = { text: `nothing was restored and "${opts.database}" was not touched` };
  try {
    return await restore(profile, m, store, identities, server, opts, ctx, scope, state);
  } catch (e) {
    throw scope.explain(e, `the restore of ${m.id} into "${opts.database}"`, state.text);
  } finally {
    scope.dispose();
  }
}

async function restore(
  profile: Profile,
  m: BackupManifest,
  store: BackupStore,
  identities: string[],
  server: ConnInfo,
  opts: RestoreOptions,
  ctx: EngineContext,
  scope: RunScope,
  state: { text: string },
): Promise<RestoreResult> {
  const started = Date.now();
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const selected = selectTables(m, opts.tables);
  const partial = !!selected || !!opts.schemaOnly;
  const target = await withClient(server, serverVersion, { queryTimeoutMs: MAINTENANCE_QUERY_MS });
  const tools = await restoreToolsFor(profile, m.pgDump, target.major, ctx.env);
  const plan = await planTarget(server, opts.database, { ...opts, replacesWhole: !selected, tablesOnly: !!selected });
  scope.check("the restore", state.text);
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
  const common = { m, identities, pgRestore: tools.pgRestore, progress, onStderrLine, env: ctx.env };
  const watch = watchServer(server, idleTimeoutMs(ctx.env), (e) => scope.fail(e), "the target database server");
  try {
    let proof: RestoreProof;
    const warnings = plan.leftoverStaging.map((l) => leftoverWarning(server.host, l));
    if (selected) warnings.push(TABLE_ONLY_NOTE);
    if (!plan.exists || plan.overwrite) {
      const done = await intoStaging({
        server,
        m,
        opts,
        plan,
        signal: scope.signal,
        state,
        fill: async (prepare) => {
          if (jobs === 1 && !partial) {
            await restoreStreaming({ ...common, store, server, opts, signal: scope.signal, prepare });
            return;
          }
          const staged = await stageVerifiedObject(store, m, identities, ctx.tmpDir, scope.signal);
          try {
            const staging = await prepare();
            progress.phase("restore");
            const exit = await restoreStaged({
              ...common,
              objectPath: staged.path,
              conn: withDatabase(server, staging),
              args: restoreArgs(opts, staging, selected),
              jobs,
              signal: scope.signal,
            });
            if (exit.code !== 0)
              throw pgRestoreFailed(m, opts.database, exit.stderr, "nothing was created under that name");
          } finally {
            await staged.cleanup();
          }
        },
        prove: (conn, kept) => {
          progress.phase("count");
          return proveRestore(conn, m, opts, selected, kept, scope.signal);
        },
      });
      proof = done.proof;
      warnings.push(...done.warnings);
    } else {
      proof = await inPlace(plan, { ...common, store, opts, selected, jobs, tmpDir: ctx.tmpDir, scope, state });
    }
    const { tables } = proof;
    progress.update({ phase: "done", bytes: m.object.bytes, tablesDone: tables.length }, true);
    return {
      id: m.id,
      database: opts.database,
      host: server.host,
      created: !plan.exists,
      tables,
      rows: tables.reduce((a, t) => a + t.expected, 0),
      jobs,
      durationMs: Date.now() - started,
      warnings,
      ...(opts.schemaOnly
        ? { schemaOnly: true, rowsNotRestored: (selected ?? m.tables).reduce((a, t) => a + t.rows, 0) }
        : {}),
      ...(proof.largeObjects ? { largeObjects: proof.largeObjects } : {}),
    };
  } finally {
    watch.stop();
  }
}

const TABLE_ONLY_NOTE =
  "--table restores each table's definition and rows only (pg_restore --table): not its primary key, indexes, constraints or triggers; add them from the backup's schema (pg_restore --schema-only) if this copy is to be used beyond inspection";

/** Into an existing empty database. */
async function inPlace(
  plan: TargetPlan,
  i: {
    m: BackupManifest;
    store: BackupStore;
    identities: string[];
    opts: RestoreOptions;
    selected: BackupManifest["tables"] | undefined;
    jobs: number;
    pgRestore: string;
    progress: ProgressTracker;
    onStderrLine: (line: string) => void;
    env: NodeJS.ProcessEnv | undefined;
    tmpDir: string | undefined;
    scope: RunScope;
    state: { text: string };
  },
): Promise<RestoreProof> {
  const name = `"${i.opts.database}"`;
  const staged = await stageVerifiedObject(i.store, i.m, i.identities, i.tmpDir, i.scope.signal);
  try {
    // Nothing on the target has been touched up to here.
    i.progress.phase("restore");
    i.state.text =
      i.jobs === 1
        ? `pg_restore was stopped and its transaction rolled back: ${name} is as it was before`
        : `pg_restore --jobs ${i.jobs} was stopped: ${name} holds a PARTIAL restore (--jobs into an existing database is not atomic); restore again, or drop what it holds`;
    const exit = await restoreStaged({
      ...i,
      objectPath: staged.path,
      conn: plan.conn,
      args: restoreArgs(i.opts, i.opts.database, i.selected),
      signal: i.scope.signal,
    });
    if (exit.code !== 0) {
      throw pgRestoreFailed(
        i.m,
        i.opts.database,
        exit.stderr,
        i.jobs === 1 ? `${name} was left as it was` : `${name} holds what was restored before the failure`,
      );
    }
    i.progress.phase("count");
    i.state.text = `the data was restored into ${name}, but the count check was stopped: it is NOT proven`;
    return await proveRestore(
      plan.conn,
      i.m,
      i.opts,
      i.selected,
      `${name} was kept for inspection; drop it when done.`,
      i.scope.signal,
    );
  } finally {
    await staged.cleanup();
  }
}
