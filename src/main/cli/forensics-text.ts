// The human renderings of the forensics answers: what the terminal prints for each channel's result.
import type { ResultOf } from "../../shared/api/channels.ts";
import { formatDuration, table } from "./output.ts";

type Audit = ResultOf<"forensics.audit">;
type Diff = ResultOf<"forensics.diff">;
type Copy = ResultOf<"forensics.copy">;
type SchemaDiff = ResultOf<"forensics.schemaDiff">;
type Restored = ResultOf<"forensics.restoreDropped">;
type RestoredColumn = Extract<Restored, { column: string }>;
type RestoredTable = Exclude<Restored, RestoredColumn>;

const keyText = (k: Record<string, unknown>) =>
  Object.entries(k)
    .map(([c, v]) => `${c}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(",");

function examples(list: Record<string, unknown>[], total: number): string {
  if (list.length === 0) return "";
  const shown = list.slice(0, 5).map(keyText).join("; ");
  return `   e.g. ${shown}${total > 5 ? `; … (${total - 5} more)` : ""}`;
}

export function auditText(v: Audit): string {
  return [
    `${v.auditTable} on ${v.production}: ${v.events} events, ${v.window.since} → ${v.window.until} in ${v.window.bucketSeconds} s buckets`,
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
    .join("\n");
}

/** `name` is the table as the operator typed it, for the next command to copy. */
export function diffText(v: Diff, name: string): string {
  return [
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
    .join("\n");
}

export function copyText(v: Copy): string {
  return [
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
    v.dryRun ? `  to copy: repeat without --dry-run and with --confirm ${v.productionDatabase}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}

export function schemaDiffText(v: SchemaDiff): string {
  return [
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
    .join("\n");
}

export function restoredText(v: Restored): string {
  return "column" in v ? restoredColumnText(v) : restoredTableText(v);
}

function restoredColumnText(v: RestoredColumn): string {
  return [
    v.dryRun ? `DRY RUN: would run ${v.definition};` : `ran ${v.definition}`,
    `  ${v.dryRun ? "would restore" : "restored"} the values of ${v.rows} rows from the branch (${v.branchRows} there); ${v.productionRowsNotOnBranch} newer production rows ${v.dryRun ? "would get" : "got"} the default`,
    v.notNull.onBranch
      ? `  NOT NULL ${v.notNull.applied ? "re-applied" : v.dryRun ? "will be re-applied if every row has a value" : "NOT re-applied"}`
      : "",
    ...v.notes.map((n) => `  ${n}`),
    v.dryRun
      ? `  to apply: repeat without --dry-run and with --confirm ${v.productionDatabase} (the table is locked while it runs)`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
}

function restoredTableText(v: RestoredTable): string {
  return [
    v.dryRun
      ? `DRY RUN: would re-create ${v.table} and copy ${v.rows} rows; nothing was changed`
      : `re-created ${v.table} and copied ${v.rows} rows (the branch has ${v.branchRows})`,
    ...v.statements.map((q) => `  ${q.replace(/\n\s*/g, " ")}${q.startsWith("--") ? "" : ";"}`),
    ...v.skipped.map((q) => `  skipped: ${q.sql.replace(/\n\s*/g, " ")} (${q.error})`),
    ...v.sequences.map((q) => `  sequence ${q.sequence} advanced to ${q.setTo}`),
    `  not restored: ${v.notRestored.join("; ")}`,
    v.dryRun ? `  to apply: repeat without --dry-run and with --confirm ${v.productionDatabase}` : "",
  ]
    .filter(Boolean)
    .join("\n");
}
