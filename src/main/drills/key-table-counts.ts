// Exact row counts of the key tables on the test branch, in one read-only snapshot so they agree with each other.
import type pg from "pg";
import type { DrillCount } from "../../shared/api/neon-schemas.ts";

/** rows is null when the table does not exist on the branch. */
export type KeyTableCount = Omit<DrillCount, "previous">;

/** "Patient" -> "Patient"; "audit.Log" -> "audit"."Log": configured names are identifiers, never SQL. */
export function quoteTableName(name: string, escape: (s: string) => string): string {
  const dot = name.indexOf(".");
  return dot > 0 ? `${escape(name.slice(0, dot))}.${escape(name.slice(dot + 1))}` : escape(name);
}

export async function countKeyTables(client: pg.Client, tables: string[]): Promise<KeyTableCount[]> {
  const out: KeyTableCount[] = [];
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    for (const table of tables) {
      const qualified = quoteTableName(table, (s) => client.escapeIdentifier(s));
      const exists = await client.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [qualified]);
      if (!exists.rows[0]?.ok) {
        out.push({ table, rows: null });
        continue;
      }
      const r = await client.query<{ n: string }>(`SELECT count(*)::bigint AS n FROM ${qualified}`);
      out.push({ table, rows: Number(r.rows[0]!.n) });
    }
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
  return out;
}
