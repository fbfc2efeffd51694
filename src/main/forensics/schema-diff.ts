// Scenario 3, step 1: what did the migration drop? Tables and columns the branch has and production lacks, and
// columns whose type changed.
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { withSides } from "./diff-table.ts";
import type { ForensicsContext } from "./forensics-context.ts";
import { query, type Side } from "./side.ts";

export interface ColumnSummary {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
  default: string | null;
}

export interface SchemaDiff {
  /** "schema.table" present on the branch, absent from production. */
  droppedTables: string[];
  /** Present in production only (created after the branch point). */
  newTables: string[];
  /** Columns of tables both sides have, present on the branch only. */
  droppedColumns: ColumnSummary[];
  newColumns: ColumnSummary[];
  typeChanges: { table: string; column: string; branchType: string; productionType: string }[];
  nullabilityChanges: { table: string; column: string; branchNotNull: boolean; productionNotNull: boolean }[];
  tablesCompared: number;
}

// User tables (not system schemas, not extension members) and their live columns, in column order.
const COLUMNS_SQL = `
SELECT n.nspname || '.' || c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid AND dep.deptype = 'e')
ORDER BY 1, a.attnum`;

async function columnsOf(side: Side): Promise<Map<string, Map<string, ColumnSummary>>> {
  const r = await query<ColumnSummary>(side, COLUMNS_SQL);
  const tables = new Map<string, Map<string, ColumnSummary>>();
  for (const row of r.rows) {
    let t = tables.get(row.table);
    if (!t) tables.set(row.table, (t = new Map()));
    t.set(row.column, row);
  }
  return tables;
}

export function compareSchemas(
  branch: Map<string, Map<string, ColumnSummary>>,
  production: Map<string, Map<string, ColumnSummary>>,
): SchemaDiff {
  const out: SchemaDiff = {
    droppedTables: [],
    newTables: [],
    droppedColumns: [],
    newColumns: [],
    typeChanges: [],
    nullabilityChanges: [],
    tablesCompared: 0,
  };
  for (const [table, bCols] of branch) {
    const pCols = production.get(table);
    if (!pCols) {
      out.droppedTables.push(table);
      continue;
    }
    out.tablesCompared++;
    for (const [name, b] of bCols) {
      const p = pCols.get(name);
      if (!p) out.droppedColumns.push(b);
      else {
        if (p.type !== b.type)
          out.typeChanges.push({ table, column: name, branchType: b.type, productionType: p.type });
        if (p.notNull !== b.notNull)
          out.nullabilityChanges.push({ table, column: name, branchNotNull: b.notNull, productionNotNull: p.notNull });
      }
    }
    for (const [name, p] of pCols) if (!bCols.has(name)) out.newColumns.push(p);
  }
  for (const table of production.keys()) if (!branch.has(table)) out.newTables.push(table);
  return out;
}

/** Tables and columns the branch has and production lost, plus type and nullability changes. Read-only. */
export async function schemaDiff(branch: ConnInfo, production: ConnInfo, ctx: ForensicsContext): Promise<SchemaDiff> {
  return ctx.journal.step(
    {
      kind: "forensics.schema-diff",
      summary: `Compare schemas: branch ${describeConn(branch)} vs production ${describeConn(production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: { branch: describeConn(branch), production: describeConn(production) },
    },
    () =>
      withSides(
        branch,
        production,
        async (b, p) => compareSchemas(await columnsOf(b), await columnsOf(p)),
        "compare schemas",
      ),
    (r) => ({
      droppedTables: r.droppedTables,
      droppedColumns: r.droppedColumns.map((c) => `${c.table}.${c.column}`),
      typeChanges: r.typeChanges.length,
      newTables: r.newTables.length,
      newColumns: r.newColumns.length,
    }),
  );
}
