// Lines the two sides of one table up for a keyed comparison: the table on each side, the primary key (the branch's,
// which production must share), the columns both have, and how rows are hashed.
import { LifeboatError } from "../../shared/errors.ts";
import { keyColumn, keyComparator, type KeyColumn, type KeyComparator } from "./key-order.ts";
import type { KeyStreamSpec } from "./key-stream.ts";
import { chooseRowHash, rowHashExpr, type RowHashMethod } from "./row-hash.ts";
import { sideError, type Side } from "./side.ts";
import { primaryKey, requireTable, tableColumns, type ColumnInfo, type TableRef } from "./table-info.ts";

export interface SideTable {
  table: TableRef;
  columns: ColumnInfo[];
  primaryKey: string[];
}

export interface Comparison {
  branch: SideTable;
  production: SideTable;
  /** Columns present on both sides, in the branch's order: the ones compared and copied. */
  common: string[];
  onlyInBranch: string[];
  onlyInProduction: string[];
}

export async function describeSide(side: Side, table: string): Promise<SideTable> {
  try {
    const t = await requireTable(side.client, table, side.name);
    return { table: t, columns: await tableColumns(side.client, t), primaryKey: await primaryKey(side.client, t) };
  } catch (err) {
    throw err instanceof LifeboatError ? err : sideError(side, err, `read the columns of ${table}`);
  }
}

export async function lineUp(branch: Side, production: Side, table: string): Promise<Comparison> {
  const b = await describeSide(branch, table);
  const p = await describeSide(production, table);
  const prodNames = new Set(p.columns.map((c) => c.name));
  const branchNames = new Set(b.columns.map((c) => c.name));
  return {
    branch: b,
    production: p,
    common: b.columns.filter((c) => prodNames.has(c.name)).map((c) => c.name),
    onlyInBranch: b.columns.filter((c) => !prodNames.has(c.name)).map((c) => c.name),
    onlyInProduction: p.columns.filter((c) => !branchNames.has(c.name)).map((c) => c.name),
  };
}

export function noPrimaryKey(table: string): LifeboatError {
  return new LifeboatError(
    "NO_PRIMARY_KEY",
    `table "${table}" has no primary key on the branch, so its rows cannot be matched one to one`,
    "Compare whole rows instead: `lifeboat forensics diff " +
      table +
      " --full-row` counts rows present on one side only (as a multiset of row hashes). " +
      "Copying needs a key: add a primary key, or copy by hand.",
    { table },
  );
}

/** The primary key both sides share, or a clear refusal. */
export function sharedKey(cmp: Comparison, tableName: string): string[] {
  const pk = cmp.branch.primaryKey;
  if (pk.length === 0) throw noPrimaryKey(tableName);
  const prodPk = cmp.production.primaryKey;
  if (prodPk.length !== pk.length || prodPk.some((c, i) => c !== pk[i])) {
    throw new LifeboatError(
      "SCHEMA_MISMATCH",
      `table "${tableName}" has primary key (${pk.join(", ")}) on the branch but ${prodPk.length ? `(${prodPk.join(", ")})` : "none"} in production`,
      "Rows can only be matched by a key both sides share. Restore production's primary key first, or compare with --full-row.",
      { table: tableName, branchKey: pk, productionKey: prodPk },
    );
  }
  return pk;
}

export interface KeyedPlan {
  compare: KeyComparator;
  branchSpec: KeyStreamSpec;
  productionSpec: KeyStreamSpec;
  rowHash: RowHashMethod | "none";
  keyNames: string[];
}

function keyCols(side: SideTable, pk: string[], other: SideTable): KeyColumn[] {
  return pk.map((name) => {
    const mine = keyColumn(side.columns.find((c) => c.name === name)!);
    const theirs = keyColumn(other.columns.find((c) => c.name === name)!);
    // Both sides must stream in one order: the cheaper index order only when both can give it.
    return {
      ...mine,
      kind: mine.kind === theirs.kind ? mine.kind : "bytes",
      native: mine.kind === theirs.kind && mine.native && theirs.native,
    };
  });
}

/** Key streams for both sides, with row hashes over the common columns unless only keys matter. */
export async function keyedPlan(
  branch: Side,
  production: Side,
  cmp: Comparison,
  tableName: string,
  opts: {
    compareValues: boolean;
    pageRows: number;
    filters?: string[];
    branchFilters?: string[];
    keyList?: string[][];
  },
): Promise<KeyedPlan> {
  const pk = sharedKey(cmp, tableName);
  const bKeys = keyCols(cmp.branch, pk, cmp.production);
  const pKeys = keyCols(cmp.production, pk, cmp.branch);
  let rowHash: RowHashMethod | "none" = "none";
  let bHash: string | null = null;
  let pHash: string | null = null;
  if (opts.compareValues) {
    const bCols = cmp.common.map((n) => cmp.branch.columns.find((c) => c.name === n)!);
    const pCols = cmp.common.map((n) => cmp.production.columns.find((c) => c.name === n)!);
    rowHash = await chooseRowHash(branch, production, bCols, pCols);
    bHash = rowHashExpr(rowHash, bCols);
    pHash = rowHashExpr(rowHash, pCols);
  }
  const base = { pageRows: opts.pageRows, ...(opts.keyList ? { keyList: opts.keyList } : {}) };
  return {
    compare: keyComparator(bKeys),
    keyNames: pk,
    rowHash,
    branchSpec: {
      ...base,
      table: cmp.branch.table,
      keyCols: bKeys,
      hashExpr: bHash,
      filters: [...(opts.filters ?? []), ...(opts.branchFilters ?? [])],
    },
    productionSpec: {
      ...base,
      table: cmp.production.table,
      keyCols: pKeys,
      hashExpr: pHash,
      filters: opts.filters ?? [],
    },
  };
}
