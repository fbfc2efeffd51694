// Compares one table between the recovery branch (the source of truth) and production, by primary key.
import { LifeboatError } from "../../shared/errors.ts";
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { keyedPlan, lineUp, noPrimaryKey, type Comparison } from "./comparison.ts";
import type { ForensicsContext } from "./forensics-context.ts";
import { fullRowDiff } from "./full-row-diff.ts";
import { keyPages } from "./key-stream.ts";
import { mergePages, type Verdict } from "./merge-pages.ts";
import type { RowHashMethod } from "./row-hash.ts";
import { closeSide, openSide, query, sideError, type Side } from "./side.ts";

export interface DiffOptions {
  /** Compare whole rows as a multiset of row hashes: the only comparison for a table without a primary key. */
  fullRow?: boolean;
  /** SQL filter over the table's columns, applied on both sides (e.g. `"createdAt" >= '2026-01-17 14:00'`). */
  where?: string;
  /** At most this many example keys of each kind in the result (default 20). */
  sampleLimit?: number;
  /** Rows per page read from each side (default 10,000). */
  pageRows?: number;
  /** Every difference, in key order, as the key's text values; a returned promise is awaited. */
  onDifference?: (verdict: Verdict, key: string[]) => void | Promise<void>;
  /** After every page: rows compared so far, and the branch table's estimated size (pg_class.reltuples), if known. */
  onProgress?: (p: DiffProgress) => void;
}

export interface DiffProgress {
  branchRows: number;
  productionRows: number;
  estimatedRows: number | null;
}

export interface TableDiff {
  table: string;
  mode: "primary-key" | "full-row";
  /** Key column names; ["(row hash)"] in full-row mode. */
  primaryKey: string[];
  rowHash: RowHashMethod;
  counts: { branch: number; production: number };
  missingInProduction: number;
  changed: number;
  extraInProduction: number;
  identical: number;
  /** Example keys as {column: text value}; in full-row mode, example whole rows. */
  sampleMissing: Record<string, unknown>[];
  sampleChanged: Record<string, unknown>[];
  sampleExtra: Record<string, unknown>[];
  comparedColumns: string[];
  columnsOnlyInBranch: string[];
  columnsOnlyInProduction: string[];
  where?: string;
  peakBufferedRows: number;
  durationMs: number;
}

export const DEFAULT_PAGE_ROWS = 10_000;

export function keyObject(names: readonly string[], key: readonly string[]): Record<string, string> {
  const o: Record<string, string> = {};
  names.forEach((n, i) => (o[n] = key[i]!));
  return o;
}

/**
 * Both sides opened with one read-only snapshot each; whatever happens, both connections are closed. A server error
 * that escaped the per-query mapping is reported against production, the side an operator worries about.
 */
export async function withSides<T>(
  branch: ConnInfo,
  production: ConnInfo,
  fn: (b: Side, p: Side) => Promise<T>,
  doing: string,
): Promise<T> {
  const opened = await Promise.allSettled([
    openSide("branch", branch, "snapshot"),
    openSide("production", production, "snapshot"),
  ]);
  const [b, p] = opened.map((o) => (o.status === "fulfilled" ? o.value : undefined));
  try {
    for (const o of opened) if (o.status === "rejected") throw o.reason;
    return await fn(b!, p!);
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw sideError({ name: "production", conn: production }, err, doing);
  } finally {
    await Promise.all([closeSide(b), closeSide(p)]);
  }
}

/** Turns page-by-page row counts into DiffProgress, with the branch table's estimated size for a percentage. */
export async function progressReporter(
  b: Side,
  cmp: Comparison,
  report: ((p: DiffProgress) => void) | undefined,
): Promise<((rows: { branch: number; production: number }) => void) | undefined> {
  if (!report) return undefined;
  const r = await query<{ n: number }>(b, "SELECT reltuples::float8 AS n FROM pg_catalog.pg_class WHERE oid = $1", [
    cmp.branch.table.oid,
  ]);
  const n = r.rows[0]?.n ?? -1;
  const estimatedRows = n >= 0 ? Math.round(n) : null;
  return (rows) => report({ branchRows: rows.branch, productionRows: rows.production, estimatedRows });
}

async function runDiff(b: Side, p: Side, table: string, opts: DiffOptions): Promise<TableDiff> {
  const t0 = performance.now();
  const sampleLimit = opts.sampleLimit ?? 20;
  const pageRows = opts.pageRows ?? DEFAULT_PAGE_ROWS;
  const filters = opts.where ? [opts.where] : [];
  const cmp: Comparison = await lineUp(b, p, table);
  const common = {
    table: `${cmp.branch.table.schema}.${cmp.branch.table.name}`,
    comparedColumns: cmp.common,
    columnsOnlyInBranch: cmp.onlyInBranch,
    columnsOnlyInProduction: cmp.onlyInProduction,
    ...(opts.where ? { where: opts.where } : {}),
  };
  if (cmp.branch.primaryKey.length === 0 && !opts.fullRow) throw noPrimaryKey(table);
  if (opts.fullRow) {
    const r = await fullRowDiff(b, p, cmp, {
      pageRows,
      sampleLimit,
      filters,
      ...(opts.onDifference ? { onDifference: opts.onDifference } : {}),
    });
    return {
      ...common,
      mode: "full-row",
      primaryKey: ["(row hash)"],
      rowHash: r.rowHash,
      counts: { branch: r.stats.branchRows, production: r.stats.productionRows },
      missingInProduction: r.stats.missingInProduction,
      changed: 0,
      extraInProduction: r.stats.extraInProduction,
      identical: r.stats.identical,
      sampleMissing: r.sampleMissing,
      sampleChanged: [],
      sampleExtra: r.sampleExtra,
      peakBufferedRows: r.stats.peakBufferedRows,
      durationMs: performance.now() - t0,
    };
  }
  const plan = await keyedPlan(b, p, cmp, table, { compareValues: true, pageRows, filters });
  const onProgress = await progressReporter(b, cmp, opts.onProgress);
  const samples: Record<Verdict, Record<string, unknown>[]> = { missing: [], changed: [], extra: [] };
  const stats = await mergePages(keyPages(b, plan.branchSpec), keyPages(p, plan.productionSpec), {
    compare: plan.compare,
    unique: true,
    ...(onProgress ? { onProgress } : {}),
    onDifference: (v, key) => {
      if (samples[v].length < sampleLimit) samples[v].push(keyObject(plan.keyNames, key));
      return opts.onDifference?.(v, key);
    },
  });
  return {
    ...common,
    mode: "primary-key",
    primaryKey: plan.keyNames,
    rowHash: plan.rowHash as RowHashMethod,
    counts: { branch: stats.branchRows, production: stats.productionRows },
    missingInProduction: stats.missingInProduction,
    changed: stats.changed,
    extraInProduction: stats.extraInProduction,
    identical: stats.identical,
    sampleMissing: samples.missing,
    sampleChanged: samples.changed,
    sampleExtra: samples.extra,
    peakBufferedRows: stats.peakBufferedRows,
    durationMs: performance.now() - t0,
  };
}

/**
 * Rows missing from production, rows changed, rows only in production, and both sides' counts, for one table.
 * Both sides are read in primary-key order, a page at a time, inside one read-only snapshot each: only keys and
 * row hashes travel, and memory holds two pages per side whatever the table's size.
 */
export async function diffTable(
  branch: ConnInfo,
  production: ConnInfo,
  table: string,
  opts: DiffOptions,
  ctx: ForensicsContext,
): Promise<TableDiff> {
  return ctx.journal.step(
    {
      kind: "forensics.diff",
      summary: `Compare ${table}: branch ${describeConn(branch)} vs production ${describeConn(production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        table,
        branch: describeConn(branch),
        production: describeConn(production),
        ...(opts.fullRow ? { fullRow: true } : {}),
        ...(opts.where ? { where: opts.where } : {}),
      },
    },
    () => withSides(branch, production, (b, p) => runDiff(b, p, table, opts), `compare ${table}`),
    (r) => ({
      mode: r.mode,
      branchRows: r.counts.branch,
      productionRows: r.counts.production,
      missingInProduction: r.missingInProduction,
      changed: r.changed,
      extraInProduction: r.extraInProduction,
      rowHash: r.rowHash,
    }),
  );
}
