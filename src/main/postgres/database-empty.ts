import type { ConnInfo } from "./conn-info.ts";
import { withClient } from "./connect.ts";
import { toLifeboatError } from "./pg-errors.ts";

// Objects a restore would collide with, outside system schemas and not owned by an extension.
const USER_OBJECTS_SQL = `
WITH sys AS (
  SELECT oid FROM pg_catalog.pg_namespace
  WHERE nspname IN ('pg_catalog', 'information_schema', 'pg_toast') OR nspname LIKE 'pg\\_temp\\_%' OR nspname LIKE 'pg\\_toast\\_temp\\_%'
),
ext AS (SELECT classid, objid FROM pg_catalog.pg_depend WHERE deptype = 'e'),
objs AS (
  SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'f' THEN 'table' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view'
         WHEN 'S' THEN 'sequence' END AS kind, format('%I.%I', n.nspname, c.relname) AS name
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND c.relnamespace NOT IN (SELECT oid FROM sys)
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_class'::regclass AND ext.objid = c.oid)
  UNION ALL
  SELECT 'function', format('%I.%I', n.nspname, p.proname)
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE p.pronamespace NOT IN (SELECT oid FROM sys)
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_proc'::regclass AND ext.objid = p.oid)
  UNION ALL
  -- Standalone types only: every table has a row type and every type an array type, which are not separate objects.
  SELECT 'type', format('%I.%I', n.nspname, t.typname)
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typnamespace NOT IN (SELECT oid FROM sys)
    AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
    AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_type'::regclass AND ext.objid = t.oid)
  UNION ALL
  SELECT 'schema', format('%I', n.nspname)
  FROM pg_catalog.pg_namespace n
  WHERE n.oid NOT IN (SELECT oid FROM sys) AND n.nspname <> 'public'
    AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_catalog.pg_namespace'::regclass AND ext.objid = n.oid)
)
SELECT kind, count(*)::int AS n, (array_agg(name ORDER BY name))[1:3] AS examples FROM objs GROUP BY kind ORDER BY kind`;

/** Whether a restore target holds anything of its own: tables, views, sequences, functions, types or schemas. */
export async function isDatabaseEmpty(conn: ConnInfo): Promise<{ empty: boolean; tables: number; detail: string }> {
  try {
    const rows = await withClient(
      conn,
      async (c) => (await c.query<{ kind: string; n: number; examples: string[] }>(USER_OBJECTS_SQL)).rows,
    );
    const tables = rows.find((r) => r.kind === "table")?.n ?? 0;
    if (rows.length === 0) return { empty: true, tables: 0, detail: `database ${conn.database} has no user objects` };
    const parts = rows.map(
      (r) =>
        `${r.n} ${r.kind}${r.n === 1 ? "" : "s"} (${r.examples.join(", ")}${r.n > r.examples.length ? ", …" : ""})`,
    );
    return { empty: false, tables, detail: `database ${conn.database} holds ${parts.join(", ")}` };
  } catch (err) {
    throw toLifeboatError(err, conn, "inspect the target database");
  }
}
