// The values of the rows a plan lists, read from one state inside its snapshot. Every value travels as its text form
// (json and jsonb too: parsed in Node, 38.0 inside a jsonb would come back as 38), so nothing is rounded or
// reformatted on the way, and apply casts each text back to production's column type.
import type { RowValues } from "../../../shared/repair-plan.ts";
import type { KeyColumn } from "../key-order.ts";
import { query, type Side } from "../side.ts";
import { quoteIdent, type ColumnInfo, type TableRef } from "../table-info.ts";

/** jsonb of the row's columns as text; built in chunks since jsonb_build_object takes at most 100 arguments. */
export function rowValuesExpr(columns: readonly ColumnInfo[], alias = "t"): string {
  if (columns.length === 0) return "'{}'::jsonb";
  const parts: string[] = [];
  for (let i = 0; i < columns.length; i += 40) {
    const pairs = columns.slice(i, i + 40).map((c) => {
      const v = `${alias}.${quoteIdent(c.name)}`;
      return `${quoteLiteral(c.name)}, ${v}::text`;
    });
    parts.push(`jsonb_build_object(${pairs.join(", ")})`);
  }
  return parts.join(" || ");
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function keyId(key: readonly string[]): string {
  return key.length === 1 ? key[0]! : JSON.stringify(key);
}

/** The rows with these keys, by keyId(). */
export async function rowsByKey(
  side: Side,
  table: TableRef,
  keyCols: readonly KeyColumn[],
  columns: readonly ColumnInfo[],
  keys: readonly (readonly string[])[],
): Promise<Map<string, RowValues>> {
  const out = new Map<string, RowValues>();
  if (keys.length === 0) return out;
  const arrays = keyCols.map((_, i) => keys.map((k) => k[i]!));
  const on = keyCols.map((k, i) => `t.${quoteIdent(k.name)} = u.k${i}::${k.type}`).join(" AND ");
  const unnest = keyCols.map((_, i) => `$${i + 1}::text[]`).join(", ");
  const names = keyCols.map((_, i) => `k${i}`).join(", ");
  const keyText = keyCols.map((_, i) => `u.k${i}`).join(", ");
  const r = await query<{ k: string[]; v: RowValues }>(
    side,
    `SELECT ARRAY[${keyText}] AS k, ${rowValuesExpr(columns)} AS v FROM ${table.qualified} t JOIN unnest(${unnest}) AS u(${names}) ON ${on}`,
    arrays,
  );
  for (const row of r.rows) out.set(keyId(row.k), row.v);
  return out;
}

/** One row per hash (rows with equal hashes are equal), for tables without a key. */
export async function rowsByHash(
  side: Side,
  table: TableRef,
  hashExpr: string,
  columns: readonly ColumnInfo[],
  hashes: readonly string[],
): Promise<Map<string, RowValues>> {
  const out = new Map<string, RowValues>();
  if (hashes.length === 0) return out;
  const r = await query<{ h: string; v: RowValues }>(
    side,
    `SELECT DISTINCT ON (h) h, v FROM (SELECT (${hashExpr})::text AS h, ${rowValuesExpr(columns)} AS v FROM ${table.qualified} t) s WHERE h = ANY($1::text[])`,
    [hashes],
  );
  for (const row of r.rows) out.set(row.h, row.v);
  return out;
}

/** Columns whose values differ between two rows (either may be absent). */
export function differingColumns(columns: readonly string[], a: RowValues | null, b: RowValues | null): string[] {
  if (!a || !b) return [];
  return columns.filter((c) => !sameValue(a[c], b[c]));
}

export function sameValue(x: unknown, y: unknown): boolean {
  return (x ?? null) === (y ?? null);
}

export function pick(row: RowValues | null, columns: readonly string[]): RowValues | null {
  if (!row) return null;
  const o: RowValues = {};
  for (const c of columns) o[c] = row[c] ?? null;
  return o;
}
