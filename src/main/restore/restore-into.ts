import { createWriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { toolsFor } from "../engine/profile-runtime.ts";
import { ProgressTracker, tableFromVerboseLine } from "../engine/progress-tracker.ts";
import { pgEnv, type ConnInfo } from "../postgres/conn-info.ts";
import { serverVersion, withClient } from "../postgres/connect.ts";
import { countRows } from "../postgres/snapshot-counts.ts";
import { errorLines, startChild } from "../process/child.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { compareCounts, mismatches, qualified, type TableComparison } from "../verify/compare-counts.ts";
import { HashCounter } from "../backup/hash-counter.ts";
import { archiveStdin, decryptArchive, feedArchive, localObjectStream, stageVerifiedObject } from "./archive-source.ts";
import { createDatabase, dropDatabase, planTarget } from "./restore-target.ts";

export interface RestoreOptions {
  database: string;
  force?: boolean;
  confirm?: string;
  noOwner?: boolean;
  noAcl?: boolean;
  schemaOnly?: boolean;
  /** "table" or "schema.table". */
  tables?: string[];
  /** 1 (default) streams into one transaction: atomic, no plaintext on disk. >1 stages the plaintext archive for pg_restore --jobs. */
  jobs?: number;
}

export interface RestoreResult {
  id: string;
  database: string;
  host: string;
  created: boolean;
  tables: TableComparison[];
  rows: number;
  jobs: number;
  durationMs: number;
}

const conninfoValue = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function selectTables(m: BackupManifest, tables: string[] | undefined): BackupManifest["tables"] {
  if (!tables?.length) return m.tables;
  const picked = m.tables.filter((t) => tables.some((x) => x === t.table || x === qualified(t)));
  const unknown = tables.filter((x) => !m.tables.some((t) => x === t.table || x === qualified(t)));
  if (unknown.length) {
    throw new LifeboatError("USAGE", `backup ${m.id} has no table ${unknown.map((u) => `"${u}"`).join(", ")}`, `Tables in this backup: ${m.tables.map(qualified).slice(0, 20).join(", ")}`);
  }
  return picked;
}

function restoreArgs(opts: RestoreOptions, database: string, overwrite: boolean, selected: BackupManifest["tables"] | undefined): string[] {
  const args = ["--exit-on-error", "--verbose", "--no-password", `--dbname=dbname=${conninfoValue(database)}`];
  if (overwrite) args.push("--clean", "--if-exists");
  if (opts.noOwner) args.push("--no-owner");
  if (opts.noAcl) args.push("--no-acl");
  if (opts.schemaOnly) args.push("--schema-only");
  if (selected) {
    for (const s of new Set(selected.map((t) => t.schema))) args.push(`--schema=${s}`);
    for (const t of selected) args.push(`--table=${t.table}`);
  }
  return args;
}

function failureHint(stderr: string): string {
  if (/role "[^"]+" does not exist/.test(stderr)) return "The target lacks the roles that owned these objects (normal on Neon): run again with --no-owner --no-acl.";
  return "The target was left as it was before the restore. Fix the cause shown and run it again.";
}

/**
 * Restores a committed backup into `opts.database` on the server of `server`. The stored object is proven whole (size,
 * sha256, key opens it) before the target is touched; success means pg_restore exited 0 AND every table's row count
 * equals the manifest's.
 */
export async function restoreInto(profile: Profile, m: BackupManifest, store: BackupStore, identities: string[], server: ConnInfo, opts: RestoreOptions, ctx: EngineContext): Promise<RestoreResult> {
  const started = Date.now();
  const jobs = Math.max(1, Math.floor(opts.jobs ?? 1));
  const selected = opts.tables?.length ? selectTables(m, opts.tables) : undefined;
  const target = await withClient(server, serverVersion);
  const tools = await toolsFor(profile, Math.max(m.pgDump.major, target.major), m.pgDump.major >= target.major ? m.pgDump.version : target.version, ctx.env);
  const plan = await planTarget(server, opts.database, opts);
  const progress = new ProgressTracker(ctx.onProgress, { operation: "restore", phase: "download", totalBytes: m.object.bytes, tablesDone: 0, tablesTotal: (selected ?? m.tables).length });

  const staged = await stageVerifiedObject(store, m, identities, ctx.tmpDir, ctx.signal);
  let created = false;
  try {
    // Nothing on the target has been touched up to here.
    if (!plan.exists) {
      await createDatabase(server, opts.database);
      created = true;
    }
    progress.phase("restore");
    let tablesDone = 0;
    const args = restoreArgs(opts, opts.database, plan.overwrite, selected);
    const source = localObjectStream(staged.path).pipe(new HashCounter({ hash: false, onBytes: (bytes) => progress.update({ bytes }) }));
    const plain = await decryptArchive(source, m, identities);
    let exit;
    const onStderrLine = (line: string): void => {
      const t = tableFromVerboseLine(line);
      if (t) progress.update({ currentTable: t, tablesDone: ++tablesDone });
    };
    if (jobs === 1) {
      const pr = startChild(tools.pgRestore, [...args, "--single-transaction"], { env: pgEnv(plan.conn, ctx.env), stdio: [archiveStdin(plain), "ignore", "pipe"], onStderrLine });
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
      const pr = startChild(tools.pgRestore, [...args, `--jobs=${jobs}`, plainPath], { env: pgEnv(plan.conn, ctx.env), stdio: ["ignore", "ignore", "pipe"], onStderrLine });
      exit = await pr.exit;
    }
    if (exit.code !== 0) {
      const lines = errorLines(exit.stderr);
      if (created) await dropDatabase(server, opts.database).catch(() => undefined);
      throw new LifeboatError(
        "RESTORE_FAILED",
        `pg_restore failed restoring backup ${m.id} into "${opts.database}"${created ? " (the database Lifeboat created was dropped again)" : ""}: ${lines.slice(0, 3).join(" | ")}`,
        failureHint(exit.stderr),
        { errors: lines },
      );
    }
    progress.phase("count");
    const expected = opts.schemaOnly ? (selected ?? m.tables).map((t) => ({ ...t, rows: 0 })) : (selected ?? m.tables);
    const actual = new Map((await countRows(plan.conn)).map((t) => [qualified(t), t.rows] as const));
    const tables = compareCounts(expected, actual);
    if (tables.some((t) => !t.ok)) {
      throw new LifeboatError(
        "ROWCOUNT_MISMATCH",
        `restore of ${m.id} into "${opts.database}" is NOT proven: row counts differ from the manifest: ${mismatches(tables)}`,
        `Do not put "${opts.database}" into service. It was kept for inspection; drop it when done.`,
        { tables },
      );
    }
    progress.update({ phase: "done", bytes: m.object.bytes, tablesDone: tables.length }, true);
    return { id: m.id, database: opts.database, host: server.host, created, tables, rows: tables.reduce((a, t) => a + t.expected, 0), jobs, durationMs: Date.now() - started };
  } finally {
    await staged.cleanup();
  }
}
