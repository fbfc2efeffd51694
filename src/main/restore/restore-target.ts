import type pg from "pg";
import { formatBytes } from "../../shared/format.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { withDatabase, type ConnInfo } from "../postgres/conn-info.ts";
import { connect, endClient, withClient } from "../postgres/connect.ts";
import { isDatabaseEmpty } from "../postgres/snapshot-counts.ts";

export interface TargetPlan {
  conn: ConnInfo;
  exists: boolean;
  /** The target holds data (or is `postgres`) and the operator forced and confirmed the overwrite. */
  overwrite: boolean;
  /** Other sessions connected to the target when it was checked. */
  connections: number;
  /** Databases left by earlier restores (staging, or replaced by an overwrite) that nobody is connected to. */
  leftoverStaging: { database: string; bytes: number; comment?: string }[];
}

/** A streaming restore restores into `${STAGING_PREFIX}<random>` and renames it to the target only once proven. */
export const STAGING_PREFIX = "lifeboat_restoring_";
/** What an overwrite keeps of the database it replaced, until the operator drops it. */
export const REPLACED_PREFIX = "lifeboat_replaced_";

/** Catalog lookups and CREATE/DROP/ALTER DATABASE are quick; a server that does not answer them in this time is frozen. */
export const MAINTENANCE_QUERY_MS = 60_000;

/**
 * A staging database is left behind when a restore was killed (the laptop died, Ctrl-C twice) or on purpose, when its
 * counts did not match and the data was kept for inspection; an overwrite keeps what it replaced. Either way it may
 * hold gigabytes on a billed server, and only the operator can say whether it is still needed: Lifeboat names it,
 * never drops it.
 */
export function leftoverWarning(host: string, l: { database: string; bytes: number; comment?: string }): string {
  const what = l.database.startsWith(REPLACED_PREFIX)
    ? `holds what an earlier overwrite replaced${l.comment ? ` (${l.comment})` : ""}`
    : "is left from an earlier restore that was interrupted or kept for inspection";
  return `database "${l.database}" (${formatBytes(l.bytes)}) on ${host} ${what}; once nobody needs it: DROP DATABASE "${l.database}";`;
}

/** Staging and replaced databases on the server nobody is connected to (see leftoverWarning); for doctor. */
export async function unusedLeftovers(client: pg.Client): Promise<TargetPlan["leftoverStaging"]> {
  const r = await client.query<{ datname: string; bytes: string; comment: string | null }>(
    `SELECT d.datname, pg_catalog.pg_database_size(d.oid)::bigint AS bytes,
              pg_catalog.shobj_description(d.oid, 'pg_database') AS comment
       FROM pg_catalog.pg_database d
       WHERE (starts_with(d.datname, $1) OR starts_with(d.datname, $2))
         AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid)
       ORDER BY 1`,
    [STAGING_PREFIX, REPLACED_PREFIX],
  );
  return r.rows.map((row) => ({
    database: row.datname,
    bytes: Number(row.bytes),
    ...(row.comment ? { comment: row.comment } : {}),
  }));
}

async function leftoverStaging(client: pg.Client): Promise<TargetPlan["leftoverStaging"]> {
  // A role that may not size other databases: the report is a courtesy, never a reason to fail.
  return unusedLeftovers(client).catch(() => []);
}

export const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * A connection to the target server's maintenance database, for CREATE/DROP/ALTER DATABASE and existence checks:
 * `postgres`, or `template1` when `postgres` itself is the database being replaced (a database in use by the session
 * renaming it cannot be renamed).
 */
async function maintenance(server: ConnInfo, avoid?: string): Promise<pg.Client> {
  const db = avoid === "postgres" ? "template1" : "postgres";
  try {
    return await connect(withDatabase(server, db), { queryTimeoutMs: MAINTENANCE_QUERY_MS });
  } catch (e) {
    // Managed services (Neon among them) may not let every role into "postgres"; the profile's own database will do.
    if (e instanceof LifeboatError && e.code === "PG_ERROR" && server.database !== avoid)
      return connect(server, { queryTimeoutMs: MAINTENANCE_QUERY_MS });
    throw e;
  }
}

interface TargetInfo {
  exists: boolean;
  template: boolean;
  connections: number;
  apps: string[];
}

async function targetInfo(client: pg.Client, database: string): Promise<TargetInfo> {
  const r = await client.query<{ datistemplate: boolean; n: number; apps: string[] }>(
    `SELECT d.datistemplate,
            (SELECT count(*)::int FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid AND a.pid <> pg_catalog.pg_backend_pid()) AS n,
            (SELECT coalesce(array_agg(DISTINCT coalesce(nullif(a.application_name, ''), a.usename::text)), '{}')
               FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid AND a.pid <> pg_catalog.pg_backend_pid()) AS apps
     FROM pg_catalog.pg_database d WHERE d.datname = $1`,
    [database],
  );
  const row = r.rows[0];
  if (!row) return { exists: false, template: false, connections: 0, apps: [] };
  return { exists: true, template: row.datistemplate, connections: row.n, apps: row.apps.slice(0, 5) };
}

function refuseTemplate(database: string, server: ConnInfo): never {
  throw new LifeboatError(
    "TARGET_REFUSED",
    `"${database}" on ${server.host}:${server.port} is a template database: every database created on that server afterwards would be a copy of what is restored into it; nothing was changed`,
    "Restore into a new database name (Lifeboat creates it).",
  );
}

/**
 * Pre-flight, read-only: may Lifeboat restore into `database` on this server? A database that does not exist will be
 * created; an empty one nobody is connected to is used; anything else (it holds data, sessions are connected to it,
 * it is `postgres`) is refused unless forced AND its name was typed to confirm. A template database is always refused.
 */
export async function planTarget(
  server: ConnInfo,
  database: string,
  opts: { force?: boolean; confirm?: string; replacesWhole?: boolean; tablesOnly?: boolean },
): Promise<TargetPlan> {
  const client = await maintenance(server, database);
  let info: TargetInfo;
  let leftovers: TargetPlan["leftoverStaging"];
  try {
    info = await targetInfo(client, database);
    leftovers = await leftoverStaging(client);
  } finally {
    await endClient(client);
  }
  const conn = withDatabase(server, database);
  const base = { conn, exists: info.exists, connections: info.connections, leftoverStaging: leftovers };
  if (info.template || database === "template0" || database === "template1") refuseTemplate(database, server);
  if (!info.exists) return { ...base, overwrite: false };
  const where = `${server.host}:${server.port}`;
  const state = await isDatabaseEmpty(conn);
  const reasons = [
    ...(database === "postgres" ? ["it is the server's default maintenance database"] : []),
    ...(state.empty ? [] : [state.detail.replace(/^database \S+ /, "it ")]),
    ...(info.connections
      ? [
          `${info.connections} other session${info.connections === 1 ? " is" : "s are"} connected to it (${info.apps.join(", ") || "unnamed"})`,
        ]
      : []),
  ];
  if (!reasons.length) return { ...base, overwrite: false };
  if (opts.tablesOnly && !state.empty) {
    throw new LifeboatError(
      "TARGET_REFUSED",
      `--table cannot restore into "${database}" on ${where}, which holds data: pg_restore --table drops and re-creates a table with its rows only, without its primary key, indexes, constraints or the foreign keys of other tables pointing at it; nothing was changed`,
      `Restore the table into a new database (Lifeboat creates it) and copy the rows you need (\`lifeboat forensics copy\`), or replace the whole database from the backup (--force --confirm ${database} without --table).`,
    );
  }
  if (!opts.force) {
    throw new LifeboatError(
      state.empty ? "TARGET_REFUSED" : "TARGET_NOT_EMPTY",
      `database "${database}" on ${where} is not a safe restore target: ${reasons.join("; ")}; nothing was changed`,
      `Restore into a new database name (Lifeboat creates it), or, to replace it, pass --force --confirm ${database}.`,
    );
  }
  if (opts.confirm !== database) {
    throw new LifeboatError(
      "CONFIRMATION_REQUIRED",
      `overwriting "${database}" needs its name typed to confirm${opts.confirm ? ` (got "${opts.confirm}")` : ""}; nothing was changed`,
      `Pass --confirm ${database} together with --force.`,
    );
  }
  if (opts.replacesWhole && info.connections) {
    throw new LifeboatError(
      "TARGET_REFUSED",
      `database "${database}" on ${where} cannot be replaced while ${info.connections} other session${info.connections === 1 ? " is" : "s are"} connected to it (${info.apps.join(", ") || "unnamed"}); nothing was changed`,
      `Stop the applications using it (or end their sessions: SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.replace(/'/g, "''")}';), then run the restore again.`,
    );
  }
  return { ...base, overwrite: true };
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

export async function createDatabase(server: ConnInfo, database: string, likeDatabase?: string): Promise<void> {
  const client = await maintenance(server, likeDatabase);
  try {
    await client.query(
      `CREATE DATABASE ${quoteIdent(database)}${likeDatabase ? await sameLocale(client, likeDatabase) : ""}`,
    );
  } finally {
    await endClient(client);
  }
}

/** A new database replacing `like` sorts text the way `like` did: its indexes are rebuilt under the same rules. */
async function sameLocale(client: pg.Client, like: string): Promise<string> {
  const r = await client.query<{ enc: string; collate: string; ctype: string }>(
    `SELECT pg_catalog.pg_encoding_to_char(encoding) AS enc, datcollate AS collate, datctype AS ctype
     FROM pg_catalog.pg_database WHERE datname = $1`,
    [like],
  );
  const row = r.rows[0];
  if (!row) return "";
  return ` TEMPLATE template0 ENCODING ${quoteLiteral(row.enc)} LC_COLLATE ${quoteLiteral(row.collate)} LC_CTYPE ${quoteLiteral(row.ctype)}`;
}

/** Drops a database; `force` also ends sessions connected to it (only for databases Lifeboat itself is filling). */
export async function dropDatabase(server: ConnInfo, database: string, force = true): Promise<void> {
  const client = await maintenance(server, database);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}${force ? " WITH (FORCE)" : ""}`);
  } finally {
    await endClient(client);
  }
}

export { withClient };

/**
 * Gives a proven restore its name. Fails (and changes nothing) if `to` exists by now or the role may not rename: the
 * caller reports where the restored data is.
 */
export async function renameDatabase(server: ConnInfo, from: string, to: string): Promise<void> {
  const client = await maintenance(server, to);
  try {
    await client.query(`ALTER DATABASE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
  } finally {
    await endClient(client);
  }
}

/**
 * Puts a proven restore in the place of the database it overwrites, in one transaction: the old one is renamed to
 * `replaced` (kept, with a comment saying what it was) and the restored one takes its name. Either both renames
 * happen or neither; no moment exists in which the name is missing or holds partial data. The old database's owner,
 * privileges and settings are carried over to the new one where the role may; what could not be is returned.
 */
export async function swapDatabases(
  server: ConnInfo,
  restored: string,
  target: string,
  replaced: string,
  comment: string,
): Promise<string[]> {
  const client = await maintenance(server, target);
  try {
    await client.query("BEGIN");
    await client.query(`ALTER DATABASE ${quoteIdent(target)} RENAME TO ${quoteIdent(replaced)}`);
    await client.query(`ALTER DATABASE ${quoteIdent(restored)} RENAME TO ${quoteIdent(target)}`);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    await endClient(client);
    throw e;
  }
  try {
    await client
      .query(`COMMENT ON DATABASE ${quoteIdent(replaced)} IS ${quoteLiteral(comment)}`)
      .catch(() => undefined);
    return await carryOver(client, replaced, target);
  } finally {
    await endClient(client);
  }
}

// Settings whose values are lists: written back unquoted, as pg_dumpall does, or they would become one element.
const LIST_SETTINGS = new Set([
  "search_path",
  "temp_tablespaces",
  "session_preload_libraries",
  "local_preload_libraries",
]);

/** Owner, database privileges, connection limit and per-database settings of `from`, applied to `to`. */
async function carryOver(client: pg.Client, from: string, to: string): Promise<string[]> {
  const r = await client.query<{
    owner: string;
    connlimit: number;
    grants: { privilege: string; grantee: string | null }[] | null;
    settings: { role: string | null; config: string[] }[] | null;
  }>(
    `SELECT pg_catalog.pg_get_userbyid(d.datdba) AS owner, d.datconnlimit AS connlimit,
            (SELECT json_agg(json_build_object('privilege', a.privilege_type,
                     'grantee', CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END))
               FROM pg_catalog.aclexplode(d.datacl) a WHERE a.grantee <> d.datdba) AS grants,
            (SELECT json_agg(json_build_object('role', CASE WHEN s.setrole = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(s.setrole) END,
                     'config', s.setconfig))
               FROM pg_catalog.pg_db_role_setting s WHERE s.setdatabase = d.oid) AS settings
     FROM pg_catalog.pg_database d WHERE d.datname = $1`,
    [from],
  );
  const row = r.rows[0];
  if (!row) return [];
  const db = quoteIdent(to);
  const statements = [
    `ALTER DATABASE ${db} OWNER TO ${quoteIdent(row.owner)}`,
    ...(row.connlimit >= 0 ? [`ALTER DATABASE ${db} CONNECTION LIMIT ${row.connlimit}`] : []),
    ...(row.grants ?? []).map(
      (g) => `GRANT ${g.privilege} ON DATABASE ${db} TO ${g.grantee === null ? "PUBLIC" : quoteIdent(g.grantee)}`,
    ),
    ...(row.settings ?? []).flatMap((s) =>
      s.config.map((cfg) => {
        const eq = cfg.indexOf("=");
        const name = cfg.slice(0, eq);
        const value = cfg.slice(eq + 1);
        const who = s.role === null ? `DATABASE ${db}` : `ROLE ${quoteIdent(s.role)} IN DATABASE ${db}`;
        return `ALTER ${who} SET ${quoteIdent(name)} = ${LIST_SETTINGS.has(name) ? value : quoteLiteral(value)}`;
      }),
    ),
  ];
  const missed: string[] = [];
  for (const sql of statements) {
    try {
      await client.query(sql);
    } catch (e) {
      missed.push(`${sql} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return missed;
}
