import type { DatabaseTarget } from "../../shared/config.ts";

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
 * The environment for pg_dump, pg_restore and psql. The password goes in PGPASSWORD, never argv, which `ps` shows
 * to every user on the machine.
 */
export function pgEnv(conn: ConnInfo, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const k of Object.keys(env)) if (k.startsWith("PG")) delete env[k];
  env.PGHOST = conn.host;
  env.PGPORT = String(conn.port);
  env.PGDATABASE = conn.database;
  env.PGUSER = conn.user;
  if (conn.password !== undefined) env.PGPASSWORD = conn.password;
  if (conn.sslmode) env.PGSSLMODE = conn.sslmode;
  if (conn.options) env.PGOPTIONS = conn.options;
  env.PGAPPNAME = "lifeboat";
  env.PGCONNECT_TIMEOUT = env.PGCONNECT_TIMEOUT ?? "10";
  return env;
}

/** For messages and the journal: who and where, never the password. */
export function describeConn(conn: ConnInfo): string {
  return `${conn.user}@${conn.host}:${conn.port}/${conn.database}`;
}

export function withDatabase(conn: ConnInfo, database: string): ConnInfo {
  return { ...conn, database };
}
