// What went wrong with one HTTP exchange with Neon, and whether asking again is safe. Neon's spec (GeneralError in
// public-v2-for-users.gen.yaml) is the rule: GET is safe to repeat after a network error or a timeout; POST, PATCH,
// DELETE and PUT are not, because the request may have been carried out although its answer never arrived; a 423 or
// a 503 is always safe to repeat. A 429 means the request was turned away before it was looked at.
import { redactText } from "../secrets/redact.ts";

export interface HttpFailure {
  status: number;
  message: string;
  neonCode?: string;
  requestId?: string;
  headers: Record<string, unknown>;
}

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
}

export function asAxios(e: unknown): AxiosLike | undefined {
  return e && typeof e === "object" && (e as AxiosLike).isAxiosError ? (e as AxiosLike) : undefined;
}

/** The HTTP status and Neon's body for an error response, or undefined when no response arrived. */
export function httpFailure(e: unknown): HttpFailure | undefined {
  const ax = asAxios(e);
  if (!ax?.response) return undefined;
  const data = ax.response.data;
  const body =
    data && typeof data === "object"
      ? (data as { message?: unknown; code?: unknown; request_id?: unknown })
      : undefined;
  const text = typeof data === "string" ? data.trim().slice(0, 300) : "";
  return {
    status: ax.response.status,
    message: redactText(typeof body?.message === "string" ? body.message : text || `HTTP ${ax.response.status}`),
    ...(typeof body?.code === "string" && body.code ? { neonCode: body.code } : {}),
    ...(typeof body?.request_id === "string" ? { requestId: body.request_id } : {}),
    headers: ax.response.headers ?? {},
  };
}

/** Retry-After as milliseconds (seconds or an HTTP date), or undefined. */
export function retryAfterMs(f: HttpFailure, now: number = Date.now()): number | undefined {
  const raw = f.headers["retry-after"];
  const v = Array.isArray(raw) ? raw[0] : raw;
  if (typeof v !== "string" && typeof v !== "number") return undefined;
  const s = String(v).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The socket-level error code of a failure that got no answer (ECONNRESET, ECONNABORTED for a timeout, ...). */
export function networkCode(e: unknown): string | undefined {
  if (httpFailure(e)) return undefined;
  const code = asAxios(e)?.code ?? (e as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code) return code;
  const msg = e instanceof Error ? e.message : "";
  if (/socket hang up/i.test(msg)) return "ECONNRESET";
  if (/timeout/i.test(msg)) return "ECONNABORTED";
  return undefined;
}

/** Neon is telling the client to come back later; nothing was done. */
export const NOT_NOW_STATUS = new Set([423, 429, 503]);
/** The server (or a gateway in front of it) failed: for a change, it may have been made anyway. */
export const SERVER_FAULT_STATUS = new Set([500, 502, 504]);
// The request never left this machine (or never reached a listening server): nothing can have been done.
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ENETDOWN"]);
// The request may have arrived; its answer did not.
const ANSWER_LOST = new Set(["ECONNRESET", "ECONNABORTED", "ETIMEDOUT", "EPIPE", "ERR_NETWORK", "ERR_BAD_RESPONSE"]);

export const isTimeout = (code: string | undefined): boolean => code === "ECONNABORTED" || code === "ETIMEDOUT";

/**
 * "retry": ask again (after a wait). "lost": a change whose answer is lost, so it may or may not have happened and
 * must be reconciled, never repeated blindly. undefined: a real answer (or our own cancel): report it as it is.
 */
export function transientKind(e: unknown, idempotent: boolean): "retry" | "lost" | undefined {
  const f = httpFailure(e);
  if (f) {
    if (NOT_NOW_STATUS.has(f.status)) return "retry";
    if (SERVER_FAULT_STATUS.has(f.status)) return idempotent ? "retry" : "lost";
    return undefined;
  }
  const code = networkCode(e);
  if (!code || code === "ERR_CANCELED") return undefined;
  if (NOT_SENT.has(code)) return "retry";
  if (ANSWER_LOST.has(code) || /^E[A-Z]+$/.test(code)) return idempotent ? "retry" : "lost";
  return undefined;
}

/** "HTTP 502 (bad gateway)", "the connection was reset", "no answer within 30 s": what happened, for messages. */
export function describeFailure(e: unknown, timeoutMs: number): string {
  const f = httpFailure(e);
  if (f) return `HTTP ${f.status}: ${f.message}`;
  const code = networkCode(e);
  if (isTimeout(code)) return `no answer within ${(timeoutMs / 1000).toFixed(1)} s`;
  if (code === "ECONNRESET" || code === "EPIPE") return "the connection was reset";
  return code ?? redactText(e instanceof Error ? e.message : String(e));
}
