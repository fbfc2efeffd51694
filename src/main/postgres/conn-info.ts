import type { DatabaseTarget } from "../../shared/config.ts";
import { leastEnv } from "../process/child-env.ts";

/** A resolved connection: the password is the value, so a ConnInfo never goes into a log, the journal or argv. */
export interface ConnInfo {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  sslmode?: DatabaseTarget["sslmode"];
  /** libpq's options (Neon: endpoint=ep-… for clients without SNI). */
  options?: string;
}

/**
 * The environment for pg_dump, pg_restore and psql: what any program needs (leastEnv) and the connection, nothing else
 * of Lifeboat's environment and none of the operator's own PG* variables. The password goes in PGPASSWORD, never
 * argv, which `ps` shows to every user on the machine.
 */
export function pgEnv(conn: ConnInfo, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = leastEnv(base);
  env.PGHOST = conn.host;
  env.PGPORT = String(conn.port);
  env.PGDATABASE = conn.database;
  env.PGUSER = conn.user;
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  if (conn.sslmode) env.PGSSLMODE = conn.sslmode;
  if (conn.options) env.PGOPTIONS = conn.options;
  env.PGAPPNAME = "lifeboat";
  env.PGCONNECT_TIMEOUT = "10";
  return env;
}

/**
 * libpq TCP keepalives for pg_dump and pg_restore (given as part of --dbname; libpq has no environment variables for
 * them): a server that vanished from the network (a dropped VPN, a dead host) fails the tool within about a minute
 * even while it is only waiting, instead of never.
 */
export const KEEPALIVE_CONNINFO = "keepalives=1 keepalives_idle=30 keepalives_interval=10 keepalives_count=3";

/** For messages and the journal: who and where, never the password. */
export function describeConn(conn: ConnInfo): string {
  return `${conn.user}@${conn.host}:${conn.port}/${conn.database}`;
}

export function withDatabase(conn: ConnInfo, database: string): ConnInfo {
  return { ...conn, database };
}
