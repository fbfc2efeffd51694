// Scenario 1's repair: rows the branch has and production lost go back into production, and nothing else changes.
import pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { redactText } from "../secrets/redact.ts";
import { advanceSequences, type SequenceAdvance } from "./advance-sequences.ts";
import { keyedPlan, lineUp } from "./comparison.ts";
import { requireProductionConfirmation } from "./confirm-production.ts";
import { DEFAULT_PAGE_ROWS, keyObject, progressReporter, type DiffProgress } from "./diff-table.ts";
import type { ForensicsContext } from "./forensics-context.ts";
import { keyPages } from "./key-stream.ts";
import { mergePages } from "./merge-pages.ts";
import { branchRowsJson, insertableColumns, insertRowsJson } from "./row-transfer.ts";
import { closeSide, openSide, query, sideError, type Side } from "./side.ts";

export interface CopyOptions {
  /** Count what would be copied and change nothing. */
  dryRun: boolean;
  /** Must equal production's database name for a real copy. */
  confirm?: string;
  /** Only rows with these primary keys (each the key columns' text values, in key order). */
  keys?: string[][];
  /** Only branch rows matching this SQL filter, e.g. `"createdAt" >= '2026-01-17 14:00' AND "createdAt" < '2026-01-17 14:30'`. */
  where?: string;
  /** Rows per INSERT (default 1,000). */
  batchRows?: number;
  pageRows?: number;
  sampleLimit?: number;
  /** After every page compared: rows so far, and the branch table's estimated size. */
  onProgress?: (p: DiffProgress) => void;
}

export interface CopyResult {
  table: string;
  dryRun: boolean;
  primaryKey: string[];
  selection: { kind: "all-missing" | "keys" | "where"; keys?: number; where?: string };
  /** Branch rows in the selection. */
  branchSelected: number;
  /** Of those, rows production does not have (by primary key). */
  missingFound: number;
  /** Rows inserted (dry run: that would be inserted). */
  rows: number;
  /** Rows that appeared in production between the comparison and the insert and were left alone (ON CONFLICT DO NOTHING). */
  skippedExisting: number;
  /** Production's row count before and after (dry run: after = before + rows). */
  before: number;
  after: number;
  sequences: SequenceAdvance[];
  /** Branch columns production no longer has: their values were not copied. */
  columnsNotCopied: string[];
  sampleKeys: Record<string, string>[];
  durationMs: number;
}

async function countRows(side: Side, qualified: string): Promise<number> {
  const r = await query<{ n: string }>(side, `SELECT count(*)::bigint AS n FROM ${qualified}`);
  return Number(r.rows[0]!.n);
}

function insertFailure(side: Side, err: unknown, table: string): LifeboatError {
  if (err instanceof pg.DatabaseError && err.code === "23503") {
    return new LifeboatError(
      "RESTORE_FAILED",
      `copying into ${table} failed and was rolled back: ${redactText(err.message)}${err.detail ? ` (${redactText(err.detail)})` : ""}`,
      "A copied row refers to a parent row production no longer has. Copy the parent table first (e.g. Patient before ClinicalNote), then this one. Nothing was written.",
      { table, constraint: err.constraint },
    );
  }
  if (err instanceof LifeboatError) return err;
  return sideError(side, err, `copy rows into ${table}`);
}

async function runCopy(branch: ConnInfo, production: ConnInfo, table: string, opts: CopyOptions): Promise<CopyResult> {
  const t0 = performance.now();
  if (!opts.dryRun) requireProductionConfirmation(production, opts.confirm, `copying rows into ${table}`);
  if (opts.keys && opts.keys.length === 0)
    throw new LifeboatError(
      "USAGE",
      "the key list is empty",
      "Give at least one primary-key value, or leave the key list out to copy every missing row.",
    );
  const batchRows = opts.batchRows ?? 1000;
  const sampleLimit = opts.sampleLimit ?? 20;
  let b: Side | undefined;
  let p: Side | undefined;
  try {
    b = await openSide("branch", branch, "snapshot");
    p = await openSide("production", production, opts.dryRun ? "snapshot" : "write");
    if (!opts.dryRun) await p.client.query("BEGIN");
    const cmp = await lineUp(b, p, table);
    const plan = await keyedPlan(b, p, cmp, table, {
      compareValues: false,
      pageRows: opts.pageRows ?? DEFAULT_PAGE_ROWS,
      ...(opts.where ? { branchFilters: [opts.where] } : {}),
      ...(opts.keys ? { keyList: opts.keys } : {}),
    });
    const bad = opts.keys?.find((k) => k.length !== plan.keyNames.length);
    if (bad) {
      throw new LifeboatError(
        "USAGE",
        `the key ${JSON.stringify(bad)} has ${bad.length} value(s) but the primary key of ${table} is (${plan.keyNames.join(", ")})`,
        "Give one value per key column, in key order.",
        { primaryKey: plan.keyNames },
      );
    }
    const columns = insertableColumns(cmp.production.columns, cmp.common);
    const before = await countRows(p, cmp.production.table.qualified);
    const sample: Record<string, string>[] = [];
    let pending: string[][] = [];
    let inserted = 0;
    const flush = async () => {
      if (pending.length === 0) return;
      const keys = pending;
      pending = [];
      if (opts.dryRun) return;
      // The branch renders the rows inside its snapshot, so they are exactly the rows the comparison saw.
      const json = await branchRowsJson(b!, cmp.branch.table, plan.branchSpec.keyCols, keys);
      try {
        inserted += await insertRowsJson(p!, cmp.production.table, columns, json);
      } catch (err) {
        throw insertFailure(p!, err, table);
      }
    };
    const onProgress = await progressReporter(b, cmp, opts.onProgress);
    const stats = await mergePages(keyPages(b, plan.branchSpec), keyPages(p, plan.productionSpec), {
      compare: plan.compare,
      unique: true,
      ...(onProgress ? { onProgress } : {}),
      onDifference: (v, key) => {
        if (v !== "missing") return;
        if (sample.length < sampleLimit) sample.push(keyObject(plan.keyNames, key));
        pending.push(key);
        return pending.length >= batchRows ? flush() : undefined;
      },
    });
    await flush();
    let sequences: SequenceAdvance[] = [];
    let after = before + stats.missingInProduction;
    if (!opts.dryRun) {
      sequences = await advanceSequences(p, cmp.production.table);
      after = await countRows(p, cmp.production.table.qualified);
      await query(p, "COMMIT");
    }
    return {
      table: `${cmp.branch.table.schema}.${cmp.branch.table.name}`,
      dryRun: opts.dryRun,
      primaryKey: plan.keyNames,
      selection: opts.keys
        ? { kind: "keys", keys: opts.keys.length }
        : opts.where
          ? { kind: "where", where: opts.where }
          : { kind: "all-missing" },
      branchSelected: stats.branchRows,
      missingFound: stats.missingInProduction,
      rows: opts.dryRun ? stats.missingInProduction : inserted,
      skippedExisting: opts.dryRun ? 0 : stats.missingInProduction - inserted,
      before,
      after,
      sequences,
      columnsNotCopied: cmp.onlyInBranch,
      sampleKeys: sample,
      durationMs: performance.now() - t0,
    };
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw sideError(p ?? { name: "production", conn: production }, err, `copy rows into ${table}`);
  } finally {
    // Closing without COMMIT rolls the production transaction back: a failed copy leaves production as it was.
    await Promise.all([closeSide(b), closeSide(p)]);
  }
}

/**
 * Copies rows that exist on the branch but not in production (all of them, a key list, or a filtered set) in one
 * production transaction with INSERT … ON CONFLICT DO NOTHING, then advances the table's serial/identity sequences
 * past the restored ids. A dry run counts and writes nothing; a real run needs `confirm` = production's database name.
 */
export async function copyMissingRows(
  branch: ConnInfo,
  production: ConnInfo,
  table: string,
  opts: CopyOptions,
  ctx: ForensicsContext,
): Promise<CopyResult> {
  return ctx.journal.step(
    {
      kind: "forensics.copy",
      summary: `${opts.dryRun ? "Dry run: copy" : "Copy"} missing rows of ${table} from branch ${describeConn(branch)} into production ${describeConn(production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        table,
        dryRun: opts.dryRun,
        branch: describeConn(branch),
        production: describeConn(production),
        ...(opts.where ? { where: opts.where } : {}),
        ...(opts.keys ? { keys: opts.keys.length } : {}),
      },
    },
    () => runCopy(branch, production, table, opts),
    (r) => ({
      rows: r.rows,
      missingFound: r.missingFound,
      before: r.before,
      after: r.after,
      skippedExisting: r.skippedExisting,
      sequences: r.sequences,
    }),
  );
}
