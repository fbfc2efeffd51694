// Streams (key, row hash) pairs of one side in key order, a page at a time. Nothing but the current page is held.
//
// Keyset pages (WHERE key > last ORDER BY key LIMIT n) walk the primary-key index; each page comes back as one row
// of aggregated text, which costs the driver one row instead of thousands. Keys the index cannot order the way Node
// compares them (text in a linguistic collation, timestamps, numerics) are read through a cursor over an ORDER BY of
// their text in the C collation instead: one server-side sort, then plain FETCHes.
import { keysetCapable, orderExpr, selectExpr, type KeyColumn } from "./key-order.ts";
import { cursorPages } from "./cursor-pages.ts";
import { queryArrays, type Side } from "./side.ts";
import { quoteIdent, type TableRef } from "./table-info.ts";

export interface KeyPage {
  keys: string[][];
  /** Row hashes, aligned with keys; null when only keys are compared. */
  hashes: string[] | null;
}

export interface KeyStreamSpec {
  table: TableRef;
  keyCols: readonly KeyColumn[];
  /** SQL expression of the row hash over alias `t`, or null for keys only. */
  hashExpr: string | null;
  /** Extra filters (SQL over alias `t`), ANDed. */
  filters?: readonly string[];
  /** Only these keys (text forms, in key-column order). */
  keyList?: readonly (readonly string[])[];
  pageRows: number;
}

function keyListFilter(spec: KeyStreamSpec, params: unknown[]): string | null {
  if (!spec.keyList) return null;
  const arrays = spec.keyCols.map((_, i) => spec.keyList!.map((k) => k[i] ?? null));
  const first = params.length + 1;
  params.push(...arrays);
  const cols = spec.keyCols.map((k) => `t.${quoteIdent(k.name)}`).join(", ");
  const casts = spec.keyCols.map((k, i) => `u.k${i}::${k.type}`).join(", ");
  const unnest = spec.keyCols.map((_, i) => `$${first + i}::text[]`).join(", ");
  const names = spec.keyCols.map((_, i) => `k${i}`).join(", ");
  return `(${cols}) IN (SELECT ${casts} FROM unnest(${unnest}) AS u(${names}))`;
}

function whereClause(parts: (string | null)[]): string {
  const p = parts.filter((x): x is string => !!x);
  return p.length ? `WHERE ${p.map((x) => `(${x})`).join(" AND ")}` : "";
}

/** Pages of (key, hash) in the order keyComparator() expects. */
export function keyPages(side: Side, spec: KeyStreamSpec): AsyncGenerator<KeyPage> {
  return keysetCapable(spec.keyCols) ? keysetPages(side, spec) : sortedCursorPages(side, spec);
}

async function* keysetPages(side: Side, spec: KeyStreamSpec): AsyncGenerator<KeyPage> {
  const n = spec.keyCols.length;
  const plain = spec.keyCols.every((k) => k.kind !== "bytes");
  const keyCols = spec.keyCols.map((k, i) => `${selectExpr(k)} AS k${i}`).join(", ");
  const hashCol = spec.hashExpr ? `, ${spec.hashExpr} AS h` : "";
  const order = spec.keyCols.map((k) => orderExpr(k)).join(", ");
  // Integers and uuids never contain a comma; text keys travel as JSON so any character survives.
  const keyAgg = plain
    ? spec.keyCols.map((_, i) => `string_agg(k${i}, ',')`).join(", ")
    : `json_agg(json_build_array(${spec.keyCols.map((_, i) => `k${i}`).join(", ")}))::text`;
  const hashAgg = spec.hashExpr ? ", string_agg(h, ',')" : "";
  const keyTuple = `(${spec.keyCols.map((k) => `t.${quoteIdent(k.name)}`).join(", ")})`;
  let last: string[] | null = null;
  for (;;) {
    const params: unknown[] = [];
    const listFilter = keyListFilter(spec, params);
    let after: string | null = null;
    if (last) {
      const first = params.length + 1;
      params.push(...last);
      after = `${keyTuple} > (${spec.keyCols.map((k, i) => `$${first + i}::text::${k.type}`).join(", ")})`;
    }
    const sql = `SELECT count(*)::int, ${keyAgg}${hashAgg} FROM (SELECT ${keyCols}${hashCol} FROM ${spec.table.qualified} t ${whereClause([...(spec.filters ?? []), listFilter, after])} ORDER BY ${order} LIMIT ${spec.pageRows}) s`;
    const row = (await queryArrays(side, sql, params))[0] as (string | number | null)[];
    const count = row[0] as number;
    if (count === 0) return;
    let keys: string[][];
    if (plain) {
      const cols = Array.from({ length: n }, (_, i) => (row[1 + i] as string).split(","));
      keys = n === 1 ? cols[0]!.map((v) => [v]) : cols[0]!.map((_, r) => cols.map((c) => c[r]!));
    } else {
      keys = JSON.parse(row[1] as string) as string[][];
    }
    const hashes = spec.hashExpr ? (row[row.length - 1] as string).split(",") : null;
    yield { keys, hashes };
    if (count < spec.pageRows) return;
    last = keys[keys.length - 1]!;
  }
}

async function* sortedCursorPages(side: Side, spec: KeyStreamSpec): AsyncGenerator<KeyPage> {
  const n = spec.keyCols.length;
  const params: unknown[] = [];
  const listFilter = keyListFilter(spec, params);
  const cols = spec.keyCols.map((k) => selectExpr(k)).join(", ") + (spec.hashExpr ? `, ${spec.hashExpr}` : "");
  const order = spec.keyCols.map((k) => orderExpr(k)).join(", ");
  const select = `SELECT ${cols} FROM ${spec.table.qualified} t ${whereClause([...(spec.filters ?? []), listFilter])} ORDER BY ${order}`;
  for await (const rows of cursorPages(side, select, params, spec.pageRows)) {
    yield {
      keys: spec.hashExpr ? rows.map((r) => r.slice(0, n)) : rows,
      hashes: spec.hashExpr ? rows.map((r) => r[n]!) : null,
    };
  }
}
