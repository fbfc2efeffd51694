import type { Command } from "commander";
import { LifeboatError } from "../../../shared/errors.ts";
import type { EngineContext } from "../../engine/engine-context.ts";
import { connFromSource, type ConnectionSource } from "../../forensics/connection-source.ts";
import { copyMissingRows } from "../../forensics/copy-missing-rows.ts";
import { findCorruptionTime, type AuditColumns } from "../../forensics/corruption-time.ts";
import { diffTable } from "../../forensics/diff-table.ts";
import { rowProgress } from "../../forensics/row-progress.ts";
import type { ForensicsContext } from "../../forensics/forensics-context.ts";
import { restoreDroppedColumn } from "../../forensics/restore-dropped-column.ts";
import { restoreDroppedTable } from "../../forensics/restore-dropped-table.ts";
import { schemaDiff } from "../../forensics/schema-diff.ts";
import { registerRepairCommands } from "./repair-commands.ts";
import { describeConn, type ConnInfo } from "../../postgres/conn-info.ts";
import type { CliContext } from "../cli-context.ts";
import { formatDuration, printResult, table } from "../output.ts";
import { collect, positiveInt } from "./option-helpers.ts";

interface SideFlags {
  productionProfile?: string;
  productionSecret?: string;
  branchProfile?: string;
  branchSecret?: string;
}

function withProduction(cmd: Command): Command {
  return cmd
    .option("-p, --production-profile <name>", "profile whose database is production (default: the only profile)")
    .option(
      "--production-secret <ref>",
      "keychain:NAME or env:VAR holding production's postgresql:// URI, instead of a profile",
    );
}

function withSides(cmd: Command): Command {
  return withProduction(cmd)
    .option("--branch-profile <name>", "profile whose database is the recovery branch (the source of truth)")
    .option(
      "--branch-secret <ref>",
      "keychain:NAME or env:VAR holding the recovery branch's postgresql:// URI (e.g. from `neon recover-to --save-uri`)",
    );
}

async function production(
  ctx: CliContext,
  o: SideFlags,
  engine: EngineContext,
): Promise<{ conn: ConnInfo; profile?: string }> {
  if (o.productionProfile && o.productionSecret)
    throw new LifeboatError("USAGE", "give production as --production-profile or --production-secret, not both");
  if (o.productionSecret)
    return { conn: await connFromSource({ kind: "secret", ref: o.productionSecret }, "production", engine) };
  const profile = await ctx.profile(o.productionProfile);
  return { conn: await connFromSource({ kind: "profile", profile }, "production", engine), profile: profile.name };
}

async function branch(ctx: CliContext, o: SideFlags, engine: EngineContext): Promise<ConnInfo> {
  if (!!o.branchProfile === !!o.branchSecret) {
    throw new LifeboatError(
      "USAGE",
      o.branchProfile
        ? "give the branch as --branch-profile or --branch-secret, not both"
        : "which database is the recovery branch? Give --branch-profile <name> or --branch-secret keychain:NAME",
      "A Neon recovery branch made by `lifeboat neon recover-to --save-uri keychain:NAME` is --branch-secret keychain:NAME.",
    );
  }
  const source: ConnectionSource = o.branchSecret
    ? { kind: "secret", ref: o.branchSecret }
    : { kind: "profile", profile: await ctx.profile(o.branchProfile) };
  return connFromSource(source, "branch", engine);
}

interface Sides {
  branch: ConnInfo;
  production: ConnInfo;
  fctx: ForensicsContext;
  engine: EngineContext;
}

/** Resolves both sides, runs the command, and always takes the progress display down again. */
async function withBothSides(ctx: CliContext, o: SideFlags, fn: (s: Sides) => Promise<void>): Promise<void> {
  const engine = await ctx.engine();
  try {
    const prod = await production(ctx, o, engine);
    const br = await branch(ctx, o, engine);
    await fn({
      branch: br,
      production: prod.conn,
      fctx: { journal: engine.journal, ...(prod.profile ? { profile: prod.profile } : {}) },
      engine,
    });
  } finally {
    engine.done();
  }
}

/** ISO 8601; without a zone it is read as UTC, as the seed's runbooks write times. */
function parseTime(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const s = value.trim().replace(" ", "T");
  const zoned = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(s) ? s : `${s}Z`;
  const d = new Date(zoned);
  if (Number.isNaN(d.getTime()))
    throw new LifeboatError(
      "USAGE",
      `${flag} "${value}" is not a time`,
      `Use ISO 8601, e.g. ${flag} 2026-01-17T14:00:00Z (UTC when no zone is given).`,
    );
  return d;
}

/** `--key 42`, or for a composite key a JSON array: `--key '[7,"a"]'`. */
function parseKey(value: string): string[] {
  if (!value.trim().startsWith("[")) return [value];
  try {
    const v = JSON.parse(value) as unknown;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" || typeof x === "number"))
      return v.map(String);
  } catch {
    // reported below
  }
  throw new LifeboatError(
    "USAGE",
    `--key ${value} is not a key`,
    `A single-column key is its value (--key 42); a composite key is a JSON array in key-column order (--key '[42,"b"]').`,
  );
}

const keyText = (k: Record<string, unknown>) =>
  Object.entries(k)
    .map(([c, v]) => `${c}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(",");

function examples(list: Record<string, unknown>[], total: number): string {
  if (list.length === 0) return "";
  const shown = list.slice(0, 5).map(keyText).join("; ");
  return `   e.g. ${shown}${total > 5 ? `; … (${total - 5} more)` : ""}`;
}

export function registerForensicsCommands(program: Command, ctx: CliContext): void {
  const forensics = program
    .command("forensics")
    .description(
      "compare a recovery branch with production and repair production from it (any two PostgreSQL databases)",
    );

  registerRepairCommands(forensics, ctx);

  withProduction(forensics.command("audit"))
    .description(
      "find when the damage started: bursts of DELETE/UPDATE in the audit table, and the last good second to branch at",
    )
    .option("--audit-table <name>", "audit table", "AuditLog")
    .option("--since <time>", "start of the window (ISO 8601, UTC if no zone); default 7 days before the newest event")
    .option("--until <time>", "end of the window")
    .option("--bucket <seconds>", "bucket size in seconds", positiveInt, 60)
    .option("--actions <list>", "comma-separated actions to count", "DELETE,UPDATE")
    .option("--action-column <name>", "column holding the action", "action")
    .option("--table-column <name>", "column holding the changed table's name", "tableName")
    .option("--record-column <name>", "column holding the changed record's id", "recordId")
    .option("--timestamp-column <name>", "column holding the event time", "timestamp")
    .option("--timestamp-zone <zone>", "zone of a timestamp-without-time-zone column's values", "UTC")
    .option("--top <n>", "bursts to list", positiveInt, 10)
    .action(
      async (
        o: SideFlags & {
          auditTable: string;
          since?: string;
          until?: string;
          bucket: number;
          actions: string;
          actionColumn: string;
          tableColumn: string;
          recordColumn: string;
          timestampColumn: string;
          timestampZone: string;
          top: number;
        },
      ) => {
        const engine = await ctx.engine();
        try {
          const prod = await production(ctx, o, engine);
          const since = parseTime(o.since, "--since");
          const until = parseTime(o.until, "--until");
          const columns: AuditColumns = {
            action: o.actionColumn,
            tableName: o.tableColumn,
            recordId: o.recordColumn,
            timestamp: o.timestampColumn,
          };
          const r = await findCorruptionTime(
            prod.conn,
            {
              auditTable: o.auditTable,
              bucketSeconds: o.bucket,
              actions: o.actions
                .split(",")
                .map((a) => a.trim())
                .filter(Boolean),
              columns,
              timestampZone: o.timestampZone,
              top: o.top,
              ...(since ? { since } : {}),
              ...(until ? { until } : {}),
            },
            { journal: engine.journal, ...(prod.profile ? { profile: prod.profile } : {}) },
          );
          printResult(ctx.io, ctx, r, (v) =>
            [
              `${v.auditTable} on ${describeConn(prod.conn)}: ${v.events} events, ${v.window.since} → ${v.window.until} in ${v.window.bucketSeconds} s buckets`,
              v.bursts.length
                ? table([
                    ["", "table", "action", "from", "to", "events", "usual/bucket", "score"],
                    ...v.bursts.map((b) => [
                      b.anomalous ? "!" : " ",
                      b.table,
                      b.action,
                      b.first,
                      b.last,
                      String(b.count),
                      String(b.baselinePerBucket),
                      String(b.score),
                    ]),
                  ])
                    .split("\n")
                    .map((l) => `  ${l}`)
                    .join("\n")
                : "",
              ...v.reasoning.map((l) => `  ${l}`),
              v.suggestedRecoveryPoint
                ? `suggested recovery point (the last good second): ${v.suggestedRecoveryPoint}\n  next: lifeboat neon recover-to ${v.suggestedRecoveryPoint} --save-uri keychain:recovery-uri, then lifeboat forensics diff <table> --branch-secret keychain:recovery-uri`
                : "no recovery point suggested: pick one from the events above",
            ]
              .filter(Boolean)
              .join("\n"),
          );
        } finally {
          engine.done();
        }
      },
    );

  withSides(forensics.command("diff <table>"))
    .description(
      "compare one table between the branch and production by primary key: rows missing from production, changed, only in production",
    )
    .option("--full-row", "compare whole rows as a multiset of row hashes (for a table without a primary key)")
    .option(
      "--where <sql>",
      `only rows matching this SQL filter, on both sides (e.g. "\\"createdAt\\" >= '2026-01-17 14:00'")`,
    )
    .option("--sample <n>", "example keys to show of each kind", positiveInt, 20)
    .action(async (name: string, o: SideFlags & { fullRow?: boolean; where?: string; sample: number }) => {
      await withBothSides(ctx, o, async (s) => {
        const onProgress = rowProgress(s.engine.onProgress, "compare");
        const r = await diffTable(
          s.branch,
          s.production,
          name,
          {
            ...(o.fullRow ? { fullRow: true } : {}),
            ...(o.where ? { where: o.where } : {}),
            sampleLimit: o.sample,
            ...(onProgress ? { onProgress } : {}),
          },
          s.fctx,
        );
        printResult(ctx.io, ctx, r, (v) =>
          [
            `${v.table} ${v.mode === "full-row" ? "as whole rows (no primary key)" : `by primary key (${v.primaryKey.join(", ")})`}${v.where ? ` where ${v.where}` : ""}: branch ${v.counts.branch} rows, production ${v.counts.production}`,
            `  missing from production: ${v.missingInProduction}`,
            examples(v.sampleMissing, v.missingInProduction),
            v.mode === "primary-key" ? `  changed since the branch point: ${v.changed}` : "",
            examples(v.sampleChanged, v.changed),
            `  only in production (newer or re-inserted): ${v.extraInProduction}`,
            examples(v.sampleExtra, v.extraInProduction),
            `  identical: ${v.identical}`,
            v.columnsOnlyInBranch.length
              ? `  columns only on the branch (not compared; dropped in production?): ${v.columnsOnlyInBranch.join(", ")}`
              : "",
            v.columnsOnlyInProduction.length
              ? `  columns only in production (not compared): ${v.columnsOnlyInProduction.join(", ")}`
              : "",
            `  took ${formatDuration(v.durationMs)}`,
            v.missingInProduction > 0 && v.mode === "primary-key"
              ? `  next: lifeboat forensics copy ${name} --dry-run (same --branch-… and production flags)`
              : "",
          ]
            .filter(Boolean)
            .join("\n"),
        );
      });
    });

  withSides(forensics.command("copy <table>"))
    .description(
      "copy rows missing from production back from the branch: one transaction, INSERT … ON CONFLICT DO NOTHING; --dry-run first",
    )
    .option("--dry-run", "count what would be copied; write nothing")
    .option("--confirm <database>", "type production's DATABASE name (not the profile name) to allow the write")
    .option("--where <sql>", "only branch rows matching this SQL filter (e.g. a createdAt range)")
    .option("--key <value>", "only this primary key (repeatable; composite keys as a JSON array)", collect, [])
    .option("--batch-rows <n>", "rows per INSERT", positiveInt, 1000)
    .action(
      async (
        name: string,
        o: SideFlags & { dryRun?: boolean; confirm?: string; where?: string; key: string[]; batchRows: number },
      ) => {
        const keys = o.key.map(parseKey);
        await withBothSides(ctx, o, async (s) => {
          const onProgress = rowProgress(s.engine.onProgress, o.dryRun ? "count" : "copy");
          const r = await copyMissingRows(
            s.branch,
            s.production,
            name,
            {
              dryRun: !!o.dryRun,
              ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
              ...(o.where ? { where: o.where } : {}),
              ...(keys.length ? { keys } : {}),
              batchRows: o.batchRows,
              ...(onProgress ? { onProgress } : {}),
            },
            s.fctx,
          );
          printResult(ctx.io, ctx, r, (v) =>
            [
              v.dryRun
                ? `DRY RUN: ${v.rows} rows of ${v.table} would be copied into production (${v.before} → ${v.after} rows); nothing was written`
                : `copied ${v.rows} rows into ${v.table} in one transaction: production ${v.before} → ${v.after} rows`,
              `  selection: ${v.selection.kind === "keys" ? `${v.selection.keys} given keys` : v.selection.kind === "where" ? `branch rows where ${v.selection.where}` : "every row missing from production"} (${v.branchSelected} on the branch, ${v.missingFound} missing from production)`,
              examples(v.sampleKeys, v.missingFound),
              v.skippedExisting
                ? `  ${v.skippedExisting} rows appeared in production meanwhile and were left as they are (ON CONFLICT DO NOTHING)`
                : "",
              ...v.sequences.map(
                (q) =>
                  `  sequence ${q.sequence} (${q.column}) advanced to ${q.setTo} so the application's next insert does not collide with a restored id`,
              ),
              v.columnsNotCopied.length
                ? `  branch columns production no longer has, not copied: ${v.columnsNotCopied.join(", ")} (see forensics restore-column)`
                : "",
              v.dryRun ? `  to copy: repeat without --dry-run and with --confirm ${s.production.database}` : "",
            ]
              .filter(Boolean)
              .join("\n"),
          );
        });
      },
    );

  withSides(forensics.command("schema-diff"))
    .description("tables and columns the branch has and production lost; type changes")
    .action(async (o: SideFlags) => {
      await withBothSides(ctx, o, async (s) => {
        const r = await schemaDiff(s.branch, s.production, s.fctx);
        printResult(ctx.io, ctx, r, (v) =>
          [
            `schemas compared (${v.tablesCompared} tables on both sides)`,
            `  dropped tables: ${v.droppedTables.length ? v.droppedTables.join(", ") : "none"}`,
            `  dropped columns:${v.droppedColumns.length ? "" : " none"}`,
            ...v.droppedColumns.map(
              (c) =>
                `    ${c.table}.${c.column} ${c.type}${c.notNull ? " NOT NULL" : ""}${c.default ? ` DEFAULT ${c.default}` : ""}`,
            ),
            ...v.typeChanges.map((c) => `  type changed: ${c.table}.${c.column} ${c.branchType} → ${c.productionType}`),
            ...v.nullabilityChanges.map(
              (c) =>
                `  nullability changed: ${c.table}.${c.column} ${c.branchNotNull ? "NOT NULL" : "NULL"} → ${c.productionNotNull ? "NOT NULL" : "NULL"}`,
            ),
            v.newTables.length ? `  new in production: ${v.newTables.join(", ")}` : "",
            v.newColumns.length
              ? `  new columns in production: ${v.newColumns.map((c) => `${c.table}.${c.column}`).join(", ")}`
              : "",
            v.droppedColumns.length
              ? `  next: lifeboat forensics restore-column <table> <column> --dry-run`
              : v.droppedTables.length
                ? "  next: lifeboat forensics restore-table <table> --dry-run"
                : "",
          ]
            .filter(Boolean)
            .join("\n"),
        );
      });
    });

  withSides(forensics.command("restore-column <table> <column>"))
    .description(
      "re-add a column production lost and refill its values from the branch by primary key, in one transaction",
    )
    .option("--dry-run", "show the definition and count the rows; change nothing")
    .option("--confirm <database>", "type production's DATABASE name to allow the change")
    .option("--batch-rows <n>", "rows per UPDATE", positiveInt, 5000)
    .action(
      async (
        name: string,
        column: string,
        o: SideFlags & { dryRun?: boolean; confirm?: string; batchRows: number },
      ) => {
        await withBothSides(ctx, o, async (s) => {
          const r = await restoreDroppedColumn(
            s.branch,
            s.production,
            name,
            column,
            { dryRun: !!o.dryRun, ...(o.confirm !== undefined ? { confirm: o.confirm } : {}), batchRows: o.batchRows },
            s.fctx,
          );
          printResult(ctx.io, ctx, r, (v) =>
            [
              v.dryRun ? `DRY RUN: would run ${v.definition};` : `ran ${v.definition}`,
              `  ${v.dryRun ? "would restore" : "restored"} the values of ${v.rows} rows from the branch (${v.branchRows} there); ${v.productionRowsNotOnBranch} newer production rows ${v.dryRun ? "would get" : "got"} the default`,
              v.notNull.onBranch
                ? `  NOT NULL ${v.notNull.applied ? "re-applied" : v.dryRun ? "will be re-applied if every row has a value" : "NOT re-applied"}`
                : "",
              ...v.notes.map((n) => `  ${n}`),
              v.dryRun
                ? `  to apply: repeat without --dry-run and with --confirm ${s.production.database} (the table is locked while it runs)`
                : "",
            ]
              .filter(Boolean)
              .join("\n"),
          );
        });
      },
    );

  withSides(forensics.command("restore-table <table>"))
    .description(
      "re-create a table production lost (columns, keys, indexes, foreign keys) and copy its rows from the branch, in one transaction",
    )
    .option("--dry-run", "print the statements and count the rows; change nothing")
    .option("--confirm <database>", "type production's DATABASE name to allow the change")
    .option("--batch-rows <n>", "rows per INSERT", positiveInt, 1000)
    .action(async (name: string, o: SideFlags & { dryRun?: boolean; confirm?: string; batchRows: number }) => {
      await withBothSides(ctx, o, async (s) => {
        const r = await restoreDroppedTable(
          s.branch,
          s.production,
          name,
          { dryRun: !!o.dryRun, ...(o.confirm !== undefined ? { confirm: o.confirm } : {}), batchRows: o.batchRows },
          s.fctx,
        );
        printResult(ctx.io, ctx, r, (v) =>
          [
            v.dryRun
              ? `DRY RUN: would re-create ${v.table} and copy ${v.rows} rows; nothing was changed`
              : `re-created ${v.table} and copied ${v.rows} rows (the branch has ${v.branchRows})`,
            ...v.statements.map((q) => `  ${q.replace(/\n\s*/g, " ")}${q.startsWith("--") ? "" : ";"}`),
            ...v.skipped.map((q) => `  skipped: ${q.sql.replace(/\n\s*/g, " ")} (${q.error})`),
            ...v.sequences.map((q) => `  sequence ${q.sequence} advanced to ${q.setTo}`),
            `  not restored: ${v.notRestored.join("; ")}`,
            v.dryRun ? `  to apply: repeat without --dry-run and with --confirm ${s.production.database}` : "",
          ]
            .filter(Boolean)
            .join("\n"),
        );
      });
    });
}
