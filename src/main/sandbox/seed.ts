import type { ConnInfo } from "../postgres/conn-info.ts";
import { withClient } from "../postgres/connect.ts";
import type { LocalCluster } from "../postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../sample/clinical-sample.ts";

/**
 * Neon's layout in a new project: database "neondb" owned by the role "neondb_owner", which logs in with a password.
 * The clinic's tables are created and filled as that role, like the app's migrations would, so it owns them.
 */
export async function seedClinicalDatabase(
  cluster: LocalCluster,
  opts: { database: string; role: string; password: string; scale: number; seed?: number },
): Promise<{ conn: ConnInfo; rows: Record<string, number> }> {
  await withClient(cluster.conn(), async (c) => {
    await c.query(
      `CREATE ROLE ${c.escapeIdentifier(opts.role)} LOGIN CREATEDB CREATEROLE PASSWORD ${c.escapeLiteral(opts.password)}`,
    );
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(opts.database)} OWNER ${c.escapeIdentifier(opts.role)}`);
  });
  const conn: ConnInfo = {
    host: cluster.host,
    port: cluster.port,
    database: opts.database,
    user: opts.role,
    password: opts.password,
    sslmode: "disable",
  };
  await createClinicalSchema(conn);
  const rows = await generateClinicalData(conn, { scale: opts.scale, seed: opts.seed ?? 7 });
  return { conn, rows };
}
