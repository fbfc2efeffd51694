// Scenario 3's repair for a dropped column: put the column back with the branch's definition and refill its values
// by primary key, in one production transaction. Rows production gained since the branch point keep the default.
import pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { keyedPlan, lineUp, sharedKey, type Comparison } from "./comparison.ts";
import { requireProductionConfirmation } from "./confirm-production.ts";
import { cursorPages } from "./cursor-pages.ts";
import { DEFAULT_PAGE_ROWS } from "./diff-table.ts";
import type { ForensicsContext } from "./forensics-context.ts";
import { keyColumn } from "./key-order.ts";
import { keyPages } from "./key-stream.ts";
import { mergePages } from "./merge-pages.ts";
import { closeSide, openSide, query, sideError, type Side } from "./side.ts";
import { quoteIdent, type ColumnInfo } from "./table-info.ts";

export interface RestoreColumnOptions {
  dryRun?: boolean;
  /** Must equal production's database name for a real run. */
  confirm?: string;
  /** Rows per UPDATE (default 5,000). */
  batchRows?: number;
}

export interface RestoreColumnResult {
  table: string;
  column: string;
  dryRun: boolean;
  /** The column as re-created: ADD COLUMN … */
  definition: string;
  /** Production rows whose value was restored (dry run: that would be). */
  rows: number;
  branchRows: number;
  productionRows: number;
  /** Production rows the branch does not have (newer): they get the column default (or NULL). */
  productionRowsNotOnBranch: number;
  notNull: { onBranch: boolean; applied: boolean; nullsRemaining: number };
  notes: string[];
  durationMs: number;
}

export function columnDefinition(col: ColumnInfo): string {
  const parts = [quoteIdent(col.name), col.type];
  if (col.collateClause) parts.push(`COLLATE ${col.collateClause}`);
  if (col.default !== null && col.generated === "" && !/nextval\(/i.test(col.default))
    parts.push(`DEFAULT ${col.default}`);
  return parts.join(" ");
}

function requireDropped(cmp: Comparison, table: string, column: string): ColumnInfo {
  const col = cmp.branch.columns.find((c) => c.name === column);
  if (!col) {
    throw new LifeboatError(
      "USAGE",
      `column "${column}" does not exist in ${table} on the branch either`,
      `The branch's columns are: ${cmp.branch.columns.map((c) => c.name).join(", ")}. \`lifeboat forensics schema-diff\` lists dropped columns.`,
      { table, column },
    );
  }
  if (cmp.production.columns.some((c) => c.name === column)) {
    throw new LifeboatError(
      "SCHEMA_MISMATCH",
      `column "${column}" already exists in ${table} in production; nothing was changed`,
      "Only a column production no longer has can be restored. To compare its values, use `lifeboat forensics diff`.",
      { table, column },
    );
  }
  if (col.generated !== "" || col.identity !== "") {
    throw new LifeboatError(
      "SCHEMA_MISMATCH",
      `column "${column}" is a generated or identity column; restoring its values by hand would fight the database`,
      "Re-create it with the migration that defined it.",
      { table, column },
    );
  }
  return col;
}

async function requireType(p: Side, col: ColumnInfo, table: string): Promise<void> {
  const r = await query<{ t: string | null }>(p, "SELECT to_regtype($1)::text AS t", [col.type]);
  if (!r.rows[0]?.t) {
    throw new LifeboatError(
      "SCHEMA_MISMATCH",
      `type ${col.type} of ${table}.${col.name} does not exist in production`,
      "Re-create the type first (it was probably dropped by the same migration), then restore the column.",
      { type: col.type },
    );
  }
}

async function count(side: Side, sql: string): Promise<number> {
  return Number((await query<{ n: string }>(side, sql)).rows[0]!.n);
}

async function run(
  branch: ConnInfo,
  production: ConnInfo,
  table: string,
  column: string,
  opts: RestoreColumnOptions,
): Promise<RestoreColumnResult> {
  const t0 = performance.now();
  const dryRun = !!opts.dryRun;
  if (!dryRun) requireProductionConfirmation(production, opts.confirm, `restoring column ${table}.${column}`);
  let b: Side | undefined;
  let p: Side | undefined;
  try {
    b = await openSide("branch", branch, "snapshot");
    p = await openSide("production", production, dryRun ? "snapshot" : "write");
    const cmp = await lineUp(b, p, table);
    const col = requireDropped(cmp, table, column);
    const pk = sharedKey(cmp, table);
    await requireType(p, col, table);
    const definition = columnDefinition(col);
    const bt = cmp.branch.table;
    const pt = cmp.production.table;
    const notes: string[] = [];
    if (col.default && /nextval\(/i.test(col.default))
      notes.push(`The branch default ${col.default} uses a sequence and was not re-created.`);
    const keyColsB = pk.map((n) => keyColumn(cmp.branch.columns.find((c) => c.name === n)!));
    const keyColsP = pk.map((n) => keyColumn(cmp.production.columns.find((c) => c.name === n)!));
    const branchRows = await count(b, `SELECT count(*)::bigint AS n FROM ${bt.qualified}`);

    if (dryRun) {
      // Rows that would get a value: keys both sides have, found by the same keyed merge as a diff (keys only).
      const plan = await keyedPlan(b, p, cmp, table, { compareValues: false, pageRows: DEFAULT_PAGE_ROWS });
      const stats = await mergePages(keyPages(b, plan.branchSpec), keyPages(p, plan.productionSpec), {
        compare: plan.compare,
        unique: true,
      });
      const matched = stats.identical;
      const productionRows = await count(p, `SELECT count(*)::bigint AS n FROM ${pt.qualified}`);
      return {
        table: `${bt.schema}.${bt.name}`,
        column,
        dryRun,
        definition: `ALTER TABLE ${pt.qualified} ADD COLUMN ${definition}`,
        rows: matched,
        branchRows,
        productionRows,
        productionRowsNotOnBranch: productionRows - matched,
        notNull: { onBranch: col.notNull, applied: false, nullsRemaining: col.notNull ? productionRows - matched : 0 },
        notes,
        durationMs: performance.now() - t0,
      };
    }

    await query(p, "BEGIN");
    // ADD COLUMN takes an exclusive lock on the table until COMMIT; waiting behind a long transaction would also
    // block every query queued after us, so give up quickly instead.
    await query(p, "SET LOCAL lock_timeout = '10s'");
    await query(p, `ALTER TABLE ${pt.qualified} ADD COLUMN ${definition}`);
    const batch = opts.batchRows ?? 5000;
    const n = pk.length;
    const keyText = keyColsB.map((k) => `t.${quoteIdent(k.name)}::text`).join(", ");
    const arrays = [...pk.map((_, i) => `$${i + 1}::text[]`), `$${n + 1}::text[]`].join(", ");
    const names = [...pk.map((_, i) => `k${i}`), "v"].join(", ");
    const match = keyColsP.map((k, i) => `p.${quoteIdent(k.name)} = u.k${i}::${k.type}`).join(" AND ");
    const update = `UPDATE ${pt.qualified} AS p SET ${quoteIdent(column)} = u.v::${col.type} FROM unnest(${arrays}) AS u(${names}) WHERE ${match}`;
    let rows = 0;
    // No ORDER BY: updates by key do not care about order, and a plain scan of the branch is the cheapest read.
    for await (const page of cursorPages(
      b,
      `SELECT ${keyText}, t.${quoteIdent(column)}::text FROM ${bt.qualified} t`,
      [],
      batch,
    )) {
      const cols = Array.from({ length: n + 1 }, (_, i) => page.map((r) => r[i] ?? null));
      try {
        rows +=
          (await p.client.query({ text: update, values: cols, queryMode: "extended" } as pg.QueryConfig)).rowCount ?? 0;
      } catch (err) {
        throw sideError(p, err, `restore the values of ${table}.${column}`);
      }
    }
    const productionRows = await count(p, `SELECT count(*)::bigint AS n FROM ${pt.qualified}`);
    const nulls = await count(
      p,
      `SELECT count(*)::bigint AS n FROM ${pt.qualified} WHERE ${quoteIdent(column)} IS NULL`,
    );
    let applied = false;
    if (col.notNull) {
      if (nulls === 0) {
        await query(p, `ALTER TABLE ${pt.qualified} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL`);
        applied = true;
      } else {
        notes.push(
          `NOT NULL was not applied: ${nulls} production rows (newer than the branch) have no value. Fill them, then ALTER TABLE … ALTER COLUMN ${quoteIdent(column)} SET NOT NULL.`,
        );
      }
    }
    await query(p, "COMMIT");
    notes.push(
      "The column was added at the end of the table: its position differs from before, which matters only to SELECT * consumers.",
    );
    return {
      table: `${bt.schema}.${bt.name}`,
      column,
      dryRun,
      definition: `ALTER TABLE ${pt.qualified} ADD COLUMN ${definition}`,
      rows,
      branchRows,
      productionRows,
      productionRowsNotOnBranch: productionRows - rows,
      notNull: { onBranch: col.notNull, applied, nullsRemaining: nulls },
      notes,
      durationMs: performance.now() - t0,
    };
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw sideError(p ?? { name: "production", conn: production }, err, `restore ${table}.${column}`);
  } finally {
    await Promise.all([closeSide(b), closeSide(p)]);
  }
}

/**
 * Re-adds a column production lost (with the branch's type, collation, default and, when every row has a value,
 * NOT NULL) and refills its values from the branch by primary key, streamed in batches, in one transaction.
 */
export async function restoreDroppedColumn(
  branch: ConnInfo,
  production: ConnInfo,
  table: string,
  column: string,
  opts: RestoreColumnOptions,
  ctx: ForensicsContext,
): Promise<RestoreColumnResult> {
  return ctx.journal.step(
    {
      kind: "forensics.restore-column",
      summary: `${opts.dryRun ? "Dry run: restore" : "Restore"} column ${table}.${column} from branch ${describeConn(branch)} into production ${describeConn(production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        table,
        column,
        dryRun: !!opts.dryRun,
        branch: describeConn(branch),
        production: describeConn(production),
      },
    },
    () => run(branch, production, table, column, opts),
    (r) => ({
      rows: r.rows,
      definition: r.definition,
      notNull: r.notNull,
      productionRowsNotOnBranch: r.productionRowsNotOnBranch,
    }),
  );
}
