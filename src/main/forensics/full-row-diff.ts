// Tables without a primary key: each side becomes a multiset of row hashes, sorted on its server and merged in Node.
// It says how many rows exist on one side only; it cannot say which rows "changed", since nothing ties two rows.
import { compareBytesText, compareIntText, type KeyComparator } from "./key-order.ts";
import type { KeyPage } from "./key-stream.ts";
import { mergePages, type MergeStats, type Verdict } from "./merge-pages.ts";
import { chooseRowHash, type RowHashMethod } from "./row-hash.ts";
import { cursorPages } from "./cursor-pages.ts";
import { query, type Side } from "./side.ts";
import { quoteIdent, type ColumnInfo, type TableRef } from "./table-info.ts";
import type { Comparison } from "./comparison.ts";

export function rawHash(method: RowHashMethod, cols: readonly ColumnInfo[]): string {
  const row = `ROW(${cols.map((c) => `t.${quoteIdent(c.name)}`).join(", ")})`;
  return method === "md5" ? `md5(${row}::text)` : `hash_record_extended(${row}, 0)`;
}

/** Pages of row hashes in their sorted order (no key: the hash is the key of a multiset). */
export async function* hashPages(
  side: Side,
  table: TableRef,
  expr: string,
  method: RowHashMethod,
  filters: readonly string[],
  pageRows: number,
): AsyncGenerator<KeyPage> {
  const where = filters.length ? `WHERE ${filters.map((f) => `(${f})`).join(" AND ")}` : "";
  // s.h, not h: a bare h in ORDER BY would name the output column, the text form, and sort -2 after -10.
  const order = method === "md5" ? `s.h COLLATE "C"` : "s.h";
  for await (const rows of cursorPages(
    side,
    `SELECT s.h::text AS hash FROM (SELECT ${expr} AS h FROM ${table.qualified} t ${where}) s ORDER BY ${order}`,
    [],
    pageRows,
  )) {
    yield { keys: rows, hashes: null };
  }
}

export interface FullRowResult {
  stats: MergeStats;
  rowHash: RowHashMethod;
  /** A few whole rows (as JSON objects) present on one side only. */
  sampleMissing: Record<string, unknown>[];
  sampleExtra: Record<string, unknown>[];
}

async function sampleRows(
  side: Side,
  table: TableRef,
  expr: string,
  hashes: string[],
  filters: readonly string[],
  limit: number,
): Promise<Record<string, unknown>[]> {
  if (hashes.length === 0) return [];
  const where = [...filters.map((f) => `(${f})`), `(${expr})::text = ANY($1::text[])`].join(" AND ");
  const r = await query<{ h: string; j: Record<string, unknown> }>(
    side,
    `SELECT (${expr})::text AS h, to_jsonb(t) AS j FROM ${table.qualified} t WHERE ${where} LIMIT ${limit * 4}`,
    [hashes],
  );
  // A row that is missing once but exists twice (duplicates) is shown once: as many rows per hash as differences.
  const wanted = new Map<string, number>();
  for (const h of hashes) wanted.set(h, (wanted.get(h) ?? 0) + 1);
  const out: Record<string, unknown>[] = [];
  for (const row of r.rows) {
    const left = wanted.get(row.h) ?? 0;
    if (left > 0 && out.length < limit) {
      out.push(row.j);
      wanted.set(row.h, left - 1);
    }
  }
  return out;
}

export async function fullRowDiff(
  branch: Side,
  production: Side,
  cmp: Comparison,
  opts: {
    pageRows: number;
    sampleLimit: number;
    filters: readonly string[];
    onDifference?: (v: Verdict, key: string[]) => void | Promise<void>;
  },
): Promise<FullRowResult> {
  const bCols = cmp.common.map((n) => cmp.branch.columns.find((c) => c.name === n)!);
  const pCols = cmp.common.map((n) => cmp.production.columns.find((c) => c.name === n)!);
  const method = await chooseRowHash(branch, production, bCols, pCols);
  const bExpr = rawHash(method, bCols);
  const pExpr = rawHash(method, pCols);
  const compare: KeyComparator =
    method === "md5" ? (a, b) => compareBytesText(a[0]!, b[0]!) : (a, b) => compareIntText(a[0]!, b[0]!);
  const missing: string[] = [];
  const extra: string[] = [];
  const stats = await mergePages(
    hashPages(branch, cmp.branch.table, bExpr, method, opts.filters, opts.pageRows),
    hashPages(production, cmp.production.table, pExpr, method, opts.filters, opts.pageRows),
    {
      compare,
      unique: false,
      onDifference: (v, key) => {
        if (v === "missing" && missing.length < opts.sampleLimit) missing.push(key[0]!);
        if (v === "extra" && extra.length < opts.sampleLimit) extra.push(key[0]!);
        return opts.onDifference?.(v, key);
      },
    },
  );
  return {
    stats,
    rowHash: method,
    sampleMissing: await sampleRows(branch, cmp.branch.table, bExpr, missing, opts.filters, opts.sampleLimit),
    sampleExtra: await sampleRows(production, cmp.production.table, pExpr, extra, opts.filters, opts.sampleLimit),
  };
}
