import pg from "pg";
import type { ConnectionOptions } from "node:tls";
import { rememberSecret } from "../secrets/redact.ts";
import type { ConnInfo } from "./conn-info.ts";
import { toLifeboatError } from "./pg-errors.ts";

type SslOption = boolean | ConnectionOptions;

// libpq semantics, which operators know from psql: require encrypts without verifying, verify-ca checks the chain,
// verify-full also checks the host name. node-postgres has no "prefer", so prefer tries TLS and falls back.
function sslFor(mode: ConnInfo["sslmode"]): SslOption[] {
  switch (mode) {
    case "disable":
      return [false];
    case "require":
      return [{ rejectUnauthorized: false }];
    case "verify-ca":
      return [{ rejectUnauthorized: true, checkServerIdentity: () => undefined }];
    case "verify-full":
      return [{ rejectUnauthorized: true }];
    case "prefer":
    default:
      return [{ rejectUnauthorized: false }, false];
  }
}

function isNoSsl(err: unknown): boolean {
  return err instanceof Error && /does not support SSL/i.test(err.message);
}

export interface ConnectOptions {
  /** How long the connection itself may take (default 10 s). */
  timeoutMs?: number;
  /**
   * A client-side limit on each query: the server may be frozen, and then its own statement_timeout never fires.
   * Only for queries that are quick by nature (catalog lookups, CREATE/DROP/ALTER DATABASE); default none.
   */
  queryTimeoutMs?: number;
}

/** Opens a client, mapping failures to PG_AUTH / PG_UNREACHABLE / PG_ERROR. The caller ends it (or uses withClient). */
export async function connect(conn: ConnInfo, opts: ConnectOptions = {}): Promise<pg.Client> {
  rememberSecret(conn.password);
  const attempts = sslFor(conn.sslmode);
  let last: unknown;
  for (const ssl of attempts) {
    const client = new pg.Client({
      host: conn.host,
      port: conn.port,
      database: conn.database,
      user: conn.user,
      password: conn.password ?? "",
      ssl,
      ...(conn.options ? { options: conn.options } : {}),
      application_name: "lifeboat",
      connectionTimeoutMillis: opts.timeoutMs ?? 10_000,
      // A peer that vanished from the network (a laptop's VPN dropped) is noticed by the kernel even while the
      // session is idle, e.g. the snapshot-holding session during a long dump.
      keepAlive: true,
      keepAliveInitialDelayMillis: 30_000,
      ...(opts.queryTimeoutMs ? { query_timeout: opts.queryTimeoutMs } : {}),
    });
    // A server-side disconnect while idle would otherwise be an unhandled 'error' event that kills the process.
    client.on("error", () => {});
    try {
      await client.connect();
      return client;
    } catch (err) {
      last = err;
      await client.end().catch(() => {});
      if (!(ssl !== false && isNoSsl(err))) break;
    }
  }
  throw toLifeboatError(last, conn);
}

export async function withClient<T>(
  conn: ConnInfo,
  fn: (c: pg.Client) => Promise<T>,
  opts: ConnectOptions = {},
): Promise<T> {
  const client = await connect(conn, opts);
  try {
    return await fn(client);
  } finally {
    await endClient(client);
  }
}

/**
 * Ends a client without waiting on the server for more than `ms`: end() waits for the server to close the socket,
 * which a frozen server never does. After that the socket is destroyed, which also fails any query still pending.
 */
export async function endClient(client: pg.Client, ms = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = client.end().catch(() => undefined);
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  if ((await Promise.race([ended, late])) === "late") destroyClient(client);
  clearTimeout(timer);
}

/** Drops the connection at once (no goodbye to the server): pending queries fail with "Connection terminated". */
export function destroyClient(client: pg.Client): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

export async function serverVersion(client: pg.Client): Promise<{ version: string; major: number; num: number }> {
  const r = await client.query<{ v: string; n: string }>(
    "SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n",
  );
  const row = r.rows[0];
  if (!row) throw new Error("server_version query returned no row");
  const num = Number(row.n);
  // "15.14 (Debian 15.14-0+deb12u1)" -> "15.14"
  const version = row.v.split(" ")[0] ?? row.v;
  return { version, major: Math.floor(num / 10000), num };
}
