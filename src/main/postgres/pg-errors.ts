import pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";
import { redactText } from "../secrets/redact.ts";
import type { ConnInfo } from "./conn-info.ts";

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ECONNRESET",
]);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  // AggregateError (happy eyeballs across several addresses) carries the code on its members.
  const inner = (err as { errors?: unknown[] } | null)?.errors;
  if (Array.isArray(inner))
    for (const e of inner) if (typeof (e as { code?: unknown })?.code === "string") return (e as { code: string }).code;
  return undefined;
}

function messageOf(err: unknown, conn: ConnInfo): string {
  const raw = err instanceof Error ? err.message : String(err);
  // The driver never puts the password in a message, but a server or a proxy might echo the connection string.
  let msg = redactText(raw);
  if (conn.password && conn.password.length > 0) msg = msg.split(conn.password).join("[REDACTED]");
  return msg;
}

/**
 * Turns a driver or server error into the LifeboatError an operator can act on. Already-mapped errors pass through.
 * The password is never part of the result.
 */
export function toLifeboatError(err: unknown, conn: ConnInfo, doing = "connect"): LifeboatError {
  if (err instanceof LifeboatError) return err;
  const where = `${conn.host}:${conn.port}`;
  const code = codeOf(err);
  const detail = messageOf(err, conn);
  const details = {
    host: conn.host,
    port: conn.port,
    database: conn.database,
    user: conn.user,
    ...(code ? { code } : {}),
  };
  if (code === "28P01" || code === "28000") {
    return new LifeboatError(
      "PG_AUTH",
      `password authentication failed for user ${conn.user} at ${where}`,
      "Check the password secret referenced by the profile (database.password) and store the right value with `lifeboat secret set`.",
      details,
    );
  }
  const fromServer = err instanceof pg.DatabaseError;
  if ((code && NETWORK_CODES.has(code)) || (!fromServer && /timeout|timed out|Connection terminated/i.test(detail))) {
    return new LifeboatError(
      "PG_UNREACHABLE",
      `could not reach PostgreSQL at ${where} (${code ?? detail})`,
      "Check the host and port in the profile, your network or VPN, and that the server is running; a Neon compute may be suspended or the project paused.",
      details,
    );
  }
  if (code === "3D000") {
    return new LifeboatError(
      "PG_ERROR",
      `database "${conn.database}" does not exist at ${where}`,
      "Check database.database in the profile, or create the database first.",
      details,
    );
  }
  if (/does not support SSL/i.test(detail)) {
    return new LifeboatError(
      "PG_ERROR",
      `the server at ${where} does not accept SSL connections`,
      'Set database.sslmode to "disable" or "prefer" for this server, or enable SSL on it.',
      details,
    );
  }
  if (/self[- ]signed|certificate|SSL/i.test(detail)) {
    return new LifeboatError(
      "PG_ERROR",
      `SSL negotiation with ${where} failed: ${detail}`,
      'Check database.sslmode: "require" encrypts without verifying the certificate; "verify-full" needs a certificate the system trusts.',
      details,
    );
  }
  return new LifeboatError(
    "PG_ERROR",
    `PostgreSQL error while trying to ${doing} (${where}): ${detail}`,
    "Read the server's message above; check the user's privileges and the server log.",
    details,
  );
}
