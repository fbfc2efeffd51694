import type { ConnInfo } from "./conn-info.ts";
import { withClient } from "./connect.ts";
import { toLifeboatError } from "./pg-errors.ts";
import { listUserTables } from "./user-tables.ts";

/**
 * md5 of each table's rows in a canonical order, keyed "schema.table". Two databases with equal checksums hold the
 * same data. It sorts every table in memory on the server: meant for test-sized data, not production.
 */
export async function tableChecksums(conn: ConnInfo): Promise<Record<string, string>> {
  try {
    return await withClient(conn, async (client) => {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
      const out: Record<string, string> = {};
      for (const t of await listUserTables(client)) {
        const r = await client.query<{ h: string }>(
          `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text COLLATE "C"), '')) AS h FROM ${t.qualified} t`,
        );
        out[`${t.schema}.${t.table}`] = r.rows[0]?.h ?? "";
      }
      await client.query("COMMIT");
      return out;
    });
  } catch (err) {
    throw toLifeboatError(err, conn, "checksum tables");
  }
}
