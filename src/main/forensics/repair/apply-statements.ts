// The statements of a repair, one per batch and kind: production locks and re-hashes the rows a batch touches (so a
// plan whose "now" moved is refused), then rows are inserted, columns set back, or rows removed. Values arrive as the
// plan's JSON, every value as text, and production casts each to its column's type (the type's own input function,
// as COPY would).
import type pg from "pg";
import type { RowValues } from "../../../shared/repair-plan.ts";
import { keyColumn, type KeyColumn } from "../key-order.ts";
import { rawHash } from "../full-row-diff.ts";
import { rowHashExpr, type RowHashMethod } from "../row-hash.ts";
import type { Side } from "../side.ts";
import { quoteIdent, type ColumnInfo, type TableRef } from "../table-info.ts";

export interface ProdTable {
  table: TableRef;
  name: string;
  columns: ColumnInfo[];
  key: string[];
  keyCols: KeyColumn[];
  /** The plan's compared columns, as production has them (hashed the way the plan hashed them). */
  compared: ColumnInfo[];
  method: RowHashMethod;
}

export function prodTable(
  table: TableRef,
  name: string,
  columns: ColumnInfo[],
  key: string[],
  compared: string[],
  method: RowHashMethod,
): ProdTable {
  const byName = (n: string) => columns.find((c) => c.name === n);
  return {
    table,
    name,
    columns,
    key,
    keyCols: key.map((k) => keyColumn(byName(k)!)),
    compared: compared.map((n) => byName(n)).filter((c): c is ColumnInfo => !!c),
    method,
  };
}

async function run(p: Side, text: string, values: unknown[]): Promise<pg.QueryResult> {
  // Straight to the driver: the caller maps the server's error code (a constraint, a lost connection) to its message.
  return p.client.query({ text, values, queryMode: "extended" } as pg.QueryConfig);
}

/** Locks the rows with these keys and returns production's hash of each (absent keys are missing from the map). */
export async function lockAndHash(
  p: Side,
  t: ProdTable,
  keys: readonly (readonly string[])[],
): Promise<Map<string, string>> {
  const arrays = t.keyCols.map((_, i) => keys.map((k) => k[i]!));
  const on = t.keyCols.map((k, i) => `t.${quoteIdent(k.name)} = u.k${i}::${k.type}`).join(" AND ");
  const unnest = t.keyCols.map((_, i) => `$${i + 1}::text[]`).join(", ");
  const names = t.keyCols.map((_, i) => `k${i}`).join(", ");
  const keyText = t.keyCols.map((_, i) => `u.k${i}`).join(", ");
  const r = await run(
    p,
    `SELECT ARRAY[${keyText}] AS k, ${rowHashExpr(t.method, t.compared)} AS h FROM ${t.table.qualified} t JOIN unnest(${unnest}) AS u(${names}) ON ${on} FOR UPDATE OF t`,
    arrays,
  );
  const out = new Map<string, string>();
  for (const row of r.rows as { k: string[]; h: string }[]) out.set(JSON.stringify(row.k), row.h);
  return out;
}

/** For a table without a key: how many rows production holds with each hash (the whole table is locked first). */
export async function countByHash(p: Side, t: ProdTable, hashes: readonly string[]): Promise<Map<string, number>> {
  await run(p, `LOCK TABLE ${t.table.qualified} IN SHARE ROW EXCLUSIVE MODE`, []);
  const expr = rawHash(t.method, t.compared);
  const r = await run(
    p,
    `SELECT h, count(*)::int AS n FROM (SELECT (${expr})::text AS h FROM ${t.table.qualified} t) s WHERE h = ANY($1::text[]) GROUP BY h`,
    [hashes],
  );
  return new Map((r.rows as { h: string; n: number }[]).map((x) => [x.h, x.n]));
}

function insertable(t: ProdTable, sample: RowValues): ColumnInfo[] {
  return t.columns.filter((c) => c.generated === "" && c.name in sample);
}

function typed(t: ProdTable, name: string): string {
  const c = t.columns.find((x) => x.name === name)!;
  return `(r.v ->> ${literal(name)})::${c.type}`;
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

const ROWS = "jsonb_array_elements($1::jsonb) AS r(v)";

/** INSERT of whole rows (no ON CONFLICT: a row that appeared since the plan is a conflict, and fails the apply). */
export async function insertRows(p: Side, t: ProdTable, rows: readonly RowValues[]): Promise<number> {
  if (rows.length === 0) return 0;
  const cols = insertable(t, rows[0]!);
  const names = cols.map((c) => quoteIdent(c.name)).join(", ");
  const values = cols.map((c) => typed(t, c.name)).join(", ");
  const r = await run(
    p,
    `INSERT INTO ${t.table.qualified} (${names}) OVERRIDING SYSTEM VALUE SELECT ${values} FROM ${ROWS}`,
    [JSON.stringify(rows)],
  );
  return r.rowCount ?? 0;
}

/** Sets these columns to the given values on rows found by key (key values are part of each row object). */
export async function updateColumns(
  p: Side,
  t: ProdTable,
  columns: readonly string[],
  rows: readonly RowValues[],
): Promise<number> {
  if (rows.length === 0 || columns.length === 0) return 0;
  const set = columns.map((c) => `${quoteIdent(c)} = ${typed(t, c)}`).join(", ");
  const on = t.key.map((k) => `t.${quoteIdent(k)} = ${typed(t, k)}`).join(" AND ");
  const r = await run(p, `UPDATE ${t.table.qualified} t SET ${set} FROM ${ROWS} WHERE ${on}`, [JSON.stringify(rows)]);
  return r.rowCount ?? 0;
}

export async function deleteByKeys(p: Side, t: ProdTable, keys: readonly (readonly string[])[]): Promise<number> {
  if (keys.length === 0) return 0;
  const arrays = t.keyCols.map((_, i) => keys.map((k) => k[i]!));
  const using = t.keyCols.map((k, i) => `t.${quoteIdent(k.name)} = u.k${i}::${k.type}`).join(" AND ");
  const unnest = t.keyCols.map((_, i) => `$${i + 1}::text[]`).join(", ");
  const names = t.keyCols.map((_, i) => `k${i}`).join(", ");
  const r = await run(
    p,
    `DELETE FROM ${t.table.qualified} t USING unnest(${unnest}) AS u(${names}) WHERE ${using}`,
    arrays,
  );
  return r.rowCount ?? 0;
}

/** Removes one row with this hash (rows with equal hashes are equal, so which one does not matter). */
export async function deleteOneByHash(p: Side, t: ProdTable, hash: string): Promise<number> {
  const expr = rawHash(t.method, t.compared);
  const r = await run(
    p,
    `DELETE FROM ${t.table.qualified} WHERE ctid = (SELECT ctid FROM ${t.table.qualified} t WHERE (${expr})::text = $1 LIMIT 1)`,
    [hash],
  );
  return r.rowCount ?? 0;
}

/** Enabled user triggers, disabled by name for the transaction (and enabled again by name before it commits). */
export async function setTriggers(p: Side, t: ProdTable, names: readonly string[], enable: boolean): Promise<void> {
  for (const n of names)
    await run(p, `ALTER TABLE ${t.table.qualified} ${enable ? "ENABLE" : "DISABLE"} TRIGGER ${quoteIdent(n)}`, []);
}
