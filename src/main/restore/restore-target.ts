import type pg from "pg";
import { formatBytes } from "../../shared/format.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import { connect, withClient } from "../postgres/connect.ts";
import { isDatabaseEmpty } from "../postgres/snapshot-counts.ts";

export interface TargetPlan {
  conn: ConnInfo;
  exists: boolean;
  /** The target holds data and the operator forced and confirmed the overwrite. */
  overwrite: boolean;
  /** Staging databases of earlier restores that nobody is connected to (see leftoverWarning). */
  leftoverStaging: { database: string; bytes: number }[];
}

/** A streaming restore restores into `${STAGING_PREFIX}<random>` and renames it to the target only once proven. */
export const STAGING_PREFIX = "lifeboat_restoring_";

/**
 * A staging database is left behind when a restore was killed (the laptop died, Ctrl-C twice) or on purpose, when its
 * counts did not match and the data was kept for inspection. Either way it may hold gigabytes on a billed server, and
 * only the operator can say whether it is still needed: Lifeboat names it, never drops it.
 */
export function leftoverWarning(host: string, l: { database: string; bytes: number }): string {
  return `database "${l.database}" (${formatBytes(l.bytes)}) on ${host} is left from an earlier restore that was interrupted or kept for inspection; once nobody needs it: DROP DATABASE "${l.database}";`;
}

async function leftoverStaging(client: pg.Client): Promise<{ database: string; bytes: number }[]> {
  try {
    const r = await client.query<{ datname: string; bytes: string }>(
      `SELECT d.datname, pg_catalog.pg_database_size(d.oid)::bigint AS bytes FROM pg_catalog.pg_database d
       WHERE starts_with(d.datname, $1) AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid)
       ORDER BY 1`,
      [STAGING_PREFIX],
    );
    return r.rows.map((row) => ({ database: row.datname, bytes: Number(row.bytes) }));
  } catch {
    return []; // a role that may not size other databases: the report is a courtesy, never a reason to fail
  }
}

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/** A connection to the target server's maintenance database, for CREATE/DROP DATABASE and existence checks. */
async function maintenance(server: ConnInfo): Promise<pg.Client> {
  try {
    return await connect(withDatabase(server, "postgres"));
  } catch (e) {
    // Managed services (Neon among them) may not let every role into "postgres"; the profile's own database will do.
    if (e instanceof LifeboatError && e.code === "PG_ERROR") return connect(server);
    throw e;
  }
}

/**
 * Pre-flight, read-only: may Lifeboat restore into `database` on this server? A database that does not exist will be
 * created; an empty one is used; one holding data is refused unless forced AND its name was typed to confirm.
 */
export async function planTarget(
  server: ConnInfo,
  database: string,
  opts: { force?: boolean; confirm?: string },
): Promise<TargetPlan> {
  const client = await maintenance(server);
  let exists: boolean;
  let leftovers: TargetPlan["leftoverStaging"];
  try {
    exists = (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1;
    leftovers = await leftoverStaging(client);
  } finally {
    await client.end().catch(() => undefined);
  }
  const conn = withDatabase(server, database);
  if (!exists) return { conn, exists, overwrite: false, leftoverStaging: leftovers };
  const state = await isDatabaseEmpty(conn);
  if (state.empty) return { conn, exists, overwrite: false, leftoverStaging: leftovers };
  if (!opts.force) {
    throw new LifeboatError(
      "TARGET_NOT_EMPTY",
      `database "${database}" on ${server.host}:${server.port} is not empty (${state.detail}); nothing was changed`,
      `Restore into a new database name (Lifeboat creates it), or, to overwrite it, pass --force --confirm ${database}.`,
    );
  }
  if (opts.confirm !== database) {
    throw new LifeboatError(
      "CONFIRMATION_REQUIRED",
      `overwriting "${database}" needs its name typed to confirm${opts.confirm ? ` (got "${opts.confirm}")` : ""}; nothing was changed`,
      `Pass --confirm ${database} together with --force.`,
    );
  }
  return { conn, exists, overwrite: true, leftoverStaging: leftovers };
}

/**
 * What a restore left on a server: staging databases nobody is connected to, and which of `names` (databases restored
 * earlier) still exist, with their sizes. Read-only; for the clean-up at an incident's close.
 */
export async function leftoverDatabases(
  server: ConnInfo,
  names: string[],
): Promise<{ staging: { database: string; bytes: number }[]; restored: { database: string; bytes: number }[] }> {
  const client = await maintenance(server);
  try {
    const staging = await leftoverStaging(client);
    const r = names.length
      ? await client.query<{ datname: string; bytes: string }>(
          `SELECT d.datname, pg_catalog.pg_database_size(d.oid)::bigint AS bytes FROM pg_catalog.pg_database d
           WHERE d.datname = ANY($1) ORDER BY 1`,
          [names],
        )
      : { rows: [] };
    return { staging, restored: r.rows.map((row) => ({ database: row.datname, bytes: Number(row.bytes) })) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function createDatabase(server: ConnInfo, database: string): Promise<void> {
  const client = await maintenance(server);
  try {
    await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropDatabase(server: ConnInfo, database: string): Promise<void> {
  const client = await maintenance(server);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export { withClient };

/**
 * Gives a proven restore its name. Fails (and changes nothing) if `to` exists by now or the role may not rename: the
 * caller reports where the restored data is.
 */
export async function renameDatabase(server: ConnInfo, from: string, to: string): Promise<void> {
  const client = await maintenance(server);
  try {
    await client.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
