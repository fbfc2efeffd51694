import type pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";
import { withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import { connect, withClient } from "../postgres/connect.ts";
import { isDatabaseEmpty } from "../postgres/snapshot-counts.ts";

export interface TargetPlan {
  conn: ConnInfo;
  exists: boolean;
  /** The target holds data and the operator forced and confirmed the overwrite. */
  overwrite: boolean;
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
export async function planTarget(server: ConnInfo, database: string, opts: { force?: boolean; confirm?: string }): Promise<TargetPlan> {
  const client = await maintenance(server);
  let exists: boolean;
  try {
    exists = (await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])).rowCount === 1;
  } finally {
    await client.end().catch(() => undefined);
  }
  const conn = withDatabase(server, database);
  if (!exists) return { conn, exists, overwrite: false };
  const state = await isDatabaseEmpty(conn);
  if (state.empty) return { conn, exists, overwrite: false };
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
  return { conn, exists, overwrite: true };
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
