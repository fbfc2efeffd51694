// A connection URI carries the role's password. Held in this wrapper it cannot leak by accident: JSON, string
// templates and console.log/util.inspect all show a placeholder; only reveal() gives the value, on purpose.
import { inspect } from "node:util";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { rememberSecret } from "../secrets/redact.ts";

const HIDDEN = "[connection URI hidden]";

export class SecretUri {
  readonly #uri: string;

  constructor(uri: string) {
    this.#uri = uri;
    // Scrubbed from anything logged, journaled or printed from now on, should it slip through anyway.
    rememberSecret(uri);
    const password = safeUrl(uri)?.password;
    if (password) {
      rememberSecret(password);
      rememberSecret(decodeURIComponent(password));
    }
  }

  reveal(): string {
    return this.#uri;
  }

  /** Where it points, without the password: safe for messages and the journal. */
  describe(): string {
    const u = safeUrl(this.#uri);
    return u
      ? `${decodeURIComponent(u.username)}@${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`
      : "(unparsable URI)";
  }

  toConnInfo(): ConnInfo {
    return connInfoFromUri(this.#uri);
  }

  toJSON(): string {
    return HIDDEN;
  }

  toString(): string {
    return HIDDEN;
  }

  [inspect.custom](): string {
    return HIDDEN;
  }
}

function safeUrl(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

const SSLMODES = new Set(["disable", "prefer", "require", "verify-ca", "verify-full"]);

/** postgresql://user:pass@host:port/db?sslmode=require as a ConnInfo (libpq's default sslmode, prefer, when absent). */
export function connInfoFromUri(uri: string): ConnInfo {
  const u = safeUrl(uri);
  if (!u || !/^postgres(ql)?:$/.test(u.protocol)) throw new Error("not a postgresql:// URI");
  const mode = u.searchParams.get("sslmode") ?? "prefer";
  const options = u.searchParams.get("options");
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres",
    user: decodeURIComponent(u.username),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    sslmode: (SSLMODES.has(mode) ? mode : "require") as NonNullable<ConnInfo["sslmode"]>,
    ...(options ? { options } : {}),
  };
}
