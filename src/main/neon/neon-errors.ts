// Every way a Neon API call can fail, turned into the LifeboatError an operator can act on. All mapping lives here.
// Messages carry Neon's own words and its request_id (what Neon support asks for); never the API key.
import { LifeboatError } from "../../shared/errors.ts";
import { redactText } from "../secrets/redact.ts";

/** What a call was doing, so an error can say it in the operator's terms. */
export interface NeonCallInfo {
  /** "create branch recovery-20260117-142959", "read project": what was being done. */
  action: string;
  /** The API base URL. */
  host: string;
  projectId: string;
  /** For a 404: `branch "x"`; defaults to the project. */
  subject?: string;
  /** The X-Request-ID Lifeboat sent; Neon echoes it as request_id. */
  requestId: string;
  /** The profile's reference to the key (keychain:NAME / env:VAR), for the 401 hint. */
  keyRef: string;
  timeoutMs: number;
}

export interface HttpFailure {
  status: number;
  message: string;
  neonCode?: string;
  requestId?: string;
  headers: Record<string, unknown>;
}

/** 300 -> "0.3 s", 120000 -> "120 s". */
export function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export const RETRYABLE_STATUS = new Set([423, 429, 503]);

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  response?: { status: number; data?: unknown; headers?: Record<string, unknown> };
}

function asAxios(e: unknown): AxiosLike | undefined {
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

function ref(f: HttpFailure | undefined, c: NeonCallInfo): string {
  return `request_id ${f?.requestId ?? c.requestId}`;
}

function details(c: NeonCallInfo, f?: HttpFailure): Record<string, unknown> {
  return {
    host: c.host,
    projectId: c.projectId,
    action: c.action,
    requestId: f?.requestId ?? c.requestId,
    ...(f ? { status: f.status, neonMessage: f.message, ...(f.neonCode ? { neonCode: f.neonCode } : {}) } : {}),
  };
}

const NAME_TAKEN = /already exists|name.*(taken|in use|not unique)|duplicate/i;

/** Maps any failure of one API call (after retries) to a LifeboatError. Already-mapped errors pass through. */
export function neonError(e: unknown, c: NeonCallInfo): LifeboatError {
  if (e instanceof LifeboatError) return e;
  const f = httpFailure(e);
  if (f) return fromResponse(f, c);
  const ax = asAxios(e);
  const code = ax?.code ?? (e as { code?: string } | null)?.code;
  const raw = redactText(e instanceof Error ? e.message : String(e));
  if (code === "ECONNABORTED" || code === "ETIMEDOUT" || /timeout/i.test(raw)) {
    return new LifeboatError(
      "NEON_TIMEOUT",
      `the Neon API at ${c.host} did not answer within ${secs(c.timeoutMs)} (while trying to ${c.action}; ${ref(undefined, c)})`,
      "Check your network or VPN and https://neonstatus.com. If the call changed something (a branch, a restore), `lifeboat neon branches` shows whether it happened before you retry.",
      { ...details(c), code: code ?? "timeout" },
    );
  }
  if (code === "ERR_CANCELED") {
    return new LifeboatError(
      "NEON_API",
      `cancelled while trying to ${c.action}`,
      "Nothing more was sent to Neon. Check `lifeboat neon branches` for what was done before the cancel.",
      details(c),
    );
  }
  if (ax || (code && /^E[A-Z_]+$/.test(code))) {
    return new LifeboatError(
      "NEON_UNREACHABLE",
      `could not reach the Neon API at ${c.host} (${code ?? raw}) while trying to ${c.action}`,
      "Check neon.apiHost in the profile, your network, proxy or VPN, and https://neonstatus.com.",
      { ...details(c), ...(code ? { code } : {}) },
    );
  }
  return new LifeboatError(
    "NEON_API",
    `unexpected failure while trying to ${c.action}: ${raw}`,
    "Run again with LIFEBOAT_DEBUG=1 and report it if it persists.",
    details(c),
  );
}

function fromResponse(f: HttpFailure, c: NeonCallInfo): LifeboatError {
  const tail = `(HTTP ${f.status}, ${ref(f, c)})`;
  const d = details(c, f);
  if (f.status === 401) {
    return new LifeboatError(
      "NEON_AUTH",
      `the Neon API key was rejected: ${f.message} ${tail}`,
      `Check the key behind neon.apiKey (${c.keyRef}): it may be revoked, expired or mistyped. Make one at console.neon.tech (Account settings → API keys) and store it with ${c.keyRef.startsWith("keychain:") ? `\`lifeboat secret set ${c.keyRef.slice(9)}\`` : `the ${c.keyRef.slice(4)} environment variable`}.`,
      d,
    );
  }
  if (f.status === 403) {
    return new LifeboatError(
      "NEON_AUTH",
      `the Neon API key may not ${c.action}: ${f.message} ${tail}`,
      `Use a key with access to project ${c.projectId} (an organization key, or a personal key of a project member) in ${c.keyRef}.`,
      d,
    );
  }
  if (f.status === 404) {
    const subject = c.subject ?? `project "${c.projectId}"`;
    return new LifeboatError(
      "NEON_NOT_FOUND",
      `Neon has no ${subject} visible to this API key: ${f.message} ${tail}`,
      c.subject
        ? "List what exists with `lifeboat neon branches`."
        : `Check neon.projectId in the profile (Neon console → Project settings shows the id, e.g. "spring-example-302709") and that the key belongs to the project's organization.`,
      d,
    );
  }
  if ((f.status === 409 || f.status === 400) && NAME_TAKEN.test(f.message)) {
    return new LifeboatError(
      "NEON_NAME_TAKEN",
      `a branch with that name already exists: ${f.message} ${tail}`,
      "Pick another name with --name, or delete the old branch (`lifeboat neon delete <name>`) if Lifeboat made it.",
      d,
    );
  }
  if (f.status === 423) return conflict(f, c, undefined);
  return new LifeboatError(
    "NEON_API",
    `Neon refused to ${c.action}: ${f.message} ${tail}`,
    f.status >= 500
      ? "Neon had a server-side problem: check https://neonstatus.com and retry; quote the request_id to Neon support."
      : "Read Neon's message above; quote the request_id if you contact Neon support.",
    d,
  );
}

function conflict(f: HttpFailure, c: NeonCallInfo, waitedMs: number | undefined): LifeboatError {
  const waited = waitedMs === undefined ? "" : ` after ${secs(waitedMs)}`;
  return new LifeboatError(
    "NEON_CONFLICT",
    `a conflicting operation is still running${waited} on project ${c.projectId}, so Neon would not ${c.action}: ${f.message} (HTTP 423, ${ref(f, c)})`,
    "Another branch, restore or compute change is in progress (maybe started by a colleague or the console). Wait for it to finish, check `lifeboat neon status`, then run the command again.",
    { ...details(c, f), ...(waitedMs !== undefined ? { waitedMs } : {}) },
  );
}

/** The error for a retryable status that did not clear within the bounded wait. */
export function gaveUpError(f: HttpFailure, c: NeonCallInfo, waitedMs: number): LifeboatError {
  if (f.status === 423) return conflict(f, c, waitedMs);
  const s = secs(waitedMs);
  const what =
    f.status === 429 ? `Neon kept rate-limiting requests for ${s}` : `the Neon API stayed unavailable for ${s}`;
  return new LifeboatError(
    "NEON_API",
    `${what} while trying to ${c.action}: ${f.message} (HTTP ${f.status}, ${ref(f, c)})`,
    f.status === 429
      ? "Wait a minute and run the command again; other tools using the same API key share its rate limit."
      : "Check https://neonstatus.com and retry later.",
    { ...details(c, f), waitedMs },
  );
}

/** A Neon operation (branch creation, restore, compute start) that ended in failure. */
export function operationFailedError(
  op: { id: string; action: string; status: string; error?: string },
  c: NeonCallInfo,
): LifeboatError {
  return new LifeboatError(
    "NEON_OPERATION_FAILED",
    `Neon's ${op.action} operation ${op.id} ended ${op.status}${op.error ? `: ${redactText(op.error)}` : ""} (while trying to ${c.action})`,
    "Check the project in the Neon console (Monitoring → System operations) and `lifeboat neon branches`; quote the operation id to Neon support.",
    {
      ...details(c),
      operationId: op.id,
      operationAction: op.action,
      operationStatus: op.status,
      ...(op.error ? { operationError: redactText(op.error) } : {}),
    },
  );
}

/** Operations that did not finish within the wait limit: not a failure on Neon's side, but Lifeboat stops waiting. */
export function operationTimeoutError(
  ops: Array<{ id: string; action: string; status: string }>,
  waitedMs: number,
  c: NeonCallInfo,
): LifeboatError {
  return new LifeboatError(
    "NEON_TIMEOUT",
    `Neon's operations were still running after ${secs(waitedMs)} (while trying to ${c.action}): ${ops.map((o) => `${o.action} ${o.id} ${o.status}`).join(", ")}`,
    "They may still finish: check `lifeboat neon branches` and `lifeboat neon status` in a minute before trying again.",
    { ...details(c), operations: ops.map((o) => ({ id: o.id, action: o.action, status: o.status })), waitedMs },
  );
}
