import type pg from "pg";

export interface UserTable {
  schema: string;
  table: string;
  /** schema.table quoted by the server's own format('%I.%I'), safe to splice into SQL. */
  qualified: string;
}

// Tables whose rows pg_dump writes: ordinary tables and leaf partitions (relkind 'r'); partitioned parents hold no
// rows of their own. System schemas, temp schemas and extension members are not user data.
const USER_TABLES_SQL = `
SELECT n.nspname AS schema, c.relname AS table, format('%I.%I', n.nspname, c.relname) AS qualified
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'r'
  AND c.relpersistence <> 't'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  AND NOT EXISTS (
    SELECT 1 FROM pg_catalog.pg_depend d
    WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname`;

export async function listUserTables(client: pg.Client): Promise<UserTable[]> {
  return (await client.query<UserTable>(USER_TABLES_SQL)).rows;
}

/** Exact count(*) for each table, batched into UNION ALL queries so a remote server costs few round trips. */
export async function countTables(client: pg.Client, tables: UserTable[], batch = 50): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < tables.length; i += batch) {
    const part = tables.slice(i, i + batch);
    const sql = part
      .map((t, j) => `SELECT ${i + j} AS i, count(*)::bigint AS n FROM ${t.qualified}`)
      .join("\nUNION ALL\n");
    const r = await client.query<{ i: number; n: string }>(sql);
    for (const row of r.rows) {
      const t = tables[row.i];
      if (t) counts.set(t.qualified, Number(row.n));
    }
  }
  return counts;
}
