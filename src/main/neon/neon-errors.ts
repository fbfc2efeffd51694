// Every way a Neon API call can fail, turned into the LifeboatError an operator can act on. All mapping lives here.
// Messages carry Neon's own words and its request_id (what Neon support asks for); never the API key.
import { formatDuration } from "../../shared/format.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { redactText } from "../secrets/redact.ts";
import {
  asAxios,
  describeFailure,
  httpFailure,
  isTimeout,
  networkCode,
  type HttpFailure,
} from "./neon-http-failure.ts";
import type { RetriesExhausted } from "./neon-retry.ts";

export { httpFailure, retryAfterMs, type HttpFailure } from "./neon-http-failure.ts";

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

/** 300 -> "0.3 s", 120000 -> "120 s". */
export function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
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
// Neon words a refusal of a point in history several ways (retention setting, the Free plan's 1 GB of history, WAL
// already gone); whichever it is, the point is outside what Neon can restore, and the way out is the same.
const OUTSIDE_WINDOW =
  /history retention|retention window|restore window|history window|(outside|beyond|exceeds?) (of )?(the )?.*(window|history|retention)|too old|(before|earlier than) the (earliest|start)|no longer (available|retained)|history (limit|size)|\b1 ?GB\b|garbage.?collect|gc.?cutoff|pitr/i;
const PROTECTED = /\bprotected\b/i;

/** The key-scope advice for 401/403: the least privilege that still serves every call Lifeboat makes. */
export function keyScopeHint(c: Pick<NeonCallInfo, "keyRef" | "projectId">): string {
  const store = c.keyRef.startsWith("keychain:")
    ? `\`lifeboat secret set ${c.keyRef.slice(9)}\``
    : `the ${c.keyRef.slice(4)} environment variable`;
  return (
    `Use a project-scoped API key for project ${c.projectId} (Neon console → organization Settings → API keys → Create new → Project-scoped): ` +
    `it can do everything Lifeboat does on that project and nothing on any other. Store it with ${store} (neon.apiKey is ${c.keyRef}).`
  );
}

function windowRefusal(f: HttpFailure, c: NeonCallInfo, tail: string): LifeboatError {
  return new LifeboatError(
    "NEON_OUTSIDE_WINDOW",
    `Neon refused to ${c.action}: the point is outside the history it keeps: ${f.message} ${tail}`,
    "History older than Neon keeps is gone from Neon (on the Free plan also once more than 1 GB of history has built up): pick a later point (`lifeboat neon status` shows the window), or restore an off-site backup (`lifeboat backups`, `lifeboat restore`).",
    { ...details(c, f), refusedBy: "neon" },
  );
}

function fromResponse(f: HttpFailure, c: NeonCallInfo): LifeboatError {
  const tail = `(HTTP ${f.status}, ${ref(f, c)})`;
  const d = details(c, f);
  if (f.status === 401) {
    return new LifeboatError(
      "NEON_AUTH",
      `the Neon API key was rejected: ${f.message} ${tail}`,
      `The key behind neon.apiKey (${c.keyRef}) may be revoked, expired or mistyped. ${keyScopeHint(c)}`,
      d,
    );
  }
  if (f.status === 403) {
    return new LifeboatError(
      "NEON_AUTH",
      `the Neon API key may not ${c.action}: ${f.message} ${tail}`,
      `The key does not reach project ${c.projectId} (a personal key of someone who is not a member, or a key scoped to another project). ${keyScopeHint(c)}`,
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
  if (f.status === 423) return conflict(f, c, undefined);
  const refusal = f.status === 400 || f.status === 409 || f.status === 412 || f.status === 422;
  // "branch already exists" is the name; "database/read-write endpoint already exists" is something else (Neon: 409).
  if (refusal && NAME_TAKEN.test(f.message) && !/database|endpoint|role|compute/i.test(f.message)) {
    return new LifeboatError(
      "NEON_NAME_TAKEN",
      `a branch with that name already exists: ${f.message} ${tail}`,
      "Pick another name with --name, or delete the old branch (`lifeboat neon delete <name>`) if Lifeboat made it.",
      d,
    );
  }
  if (refusal) {
    if (OUTSIDE_WINDOW.test(f.message)) return windowRefusal(f, c, tail);
    if (PROTECTED.test(f.message)) {
      return new LifeboatError(
        "NEON_REFUSED",
        `Neon refused to ${c.action}: ${f.message} ${tail}`,
        "A protected branch cannot be deleted or reset, and its computes cannot be deleted (Neon's protected branches). Remove the protection in the Neon console (branch → More → Set as unprotected) if that is really intended, or work on a new branch instead.",
        d,
      );
    }
    return new LifeboatError(
      "NEON_REJECTED",
      `Neon refused to ${c.action} as invalid: ${f.message} ${tail}`,
      "Nothing was changed. Read Neon's reason above; quote the request_id if you contact Neon support.",
      d,
    );
  }
  return new LifeboatError(
    "NEON_API",
    `Neon refused to ${c.action}: ${f.message} ${tail}`,
    f.status >= 500
      ? "Neon had a server-side problem: check https://neonstatus.com and retry; quote the request_id to Neon support."
      : "Read Neon's message above; quote the request_id if you contact Neon support.",
    d,
  );
}

/** Maps any failure of one API call (after retries) to a LifeboatError. Already-mapped errors pass through. */
export function neonError(e: unknown, c: NeonCallInfo): LifeboatError {
  if (e instanceof LifeboatError) return e;
  const f = httpFailure(e);
  if (f) return fromResponse(f, c);
  const code = networkCode(e);
  const raw = redactText(e instanceof Error ? e.message : String(e));
  if (isTimeout(code)) {
    return new LifeboatError(
      "NEON_TIMEOUT",
      `the Neon API at ${c.host} did not answer within ${secs(c.timeoutMs)} (while trying to ${c.action}; ${ref(undefined, c)})`,
      "Check your network or VPN and https://neonstatus.com, then run the command again (it only reads).",
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
  if (asAxios(e) || (code && /^E[A-Z_]+$/.test(code))) {
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

function conflict(f: HttpFailure, c: NeonCallInfo, waitedMs: number | undefined): LifeboatError {
  const waited = waitedMs === undefined ? "" : ` after ${formatDuration(waitedMs)}`;
  return new LifeboatError(
    "NEON_CONFLICT",
    `a conflicting operation is still running${waited} on project ${c.projectId}, so Neon would not ${c.action}: ${f.message} (HTTP 423, ${ref(f, c)})`,
    "Another branch, restore or compute change is in progress (maybe started by a colleague or the console). Wait for it to finish, check `lifeboat neon status`, then run the command again.",
    { ...details(c, f), ...(waitedMs !== undefined ? { waitedMs } : {}) },
  );
}

/** A retryable failure (423/429/5xx/network) that did not clear within the bounded wait. */
export function gaveUpError(x: RetriesExhausted, c: NeonCallInfo): LifeboatError {
  const f = x.failure;
  const s = secs(x.waitedMs);
  if (!f) {
    const base = neonError(x.last, c);
    return new LifeboatError(base.code, `${base.message}; ${x.attempts} attempts over ${s}`, base.hint, {
      ...base.details,
      waitedMs: x.waitedMs,
      attempts: x.attempts,
    });
  }
  if (f.status === 423) return conflict(f, c, x.waitedMs);
  const what =
    f.status === 429
      ? `Neon kept rate-limiting requests for ${s}`
      : `the Neon API kept failing (HTTP ${f.status}) for ${s}`;
  return new LifeboatError(
    "NEON_API",
    `${what} while trying to ${c.action}: ${f.message} (HTTP ${f.status}, ${ref(f, c)}; ${x.attempts} attempts)`,
    f.status === 429
      ? "Wait a minute and run the command again; other tools using the same API key share its rate limit."
      : "Check https://neonstatus.com and retry later; quote the request_id to Neon support.",
    { ...details(c, f), waitedMs: x.waitedMs, attempts: x.attempts },
  );
}

/**
 * A change whose answer never arrived (a reset, a timeout, a gateway's 5xx): it may or may not have happened. The
 * engine reconciles (looks for what the change would have made) before it says anything more; this is what is left
 * when it cannot.
 */
export function answerLostError(e: unknown, c: NeonCallInfo): LifeboatError {
  const f = httpFailure(e);
  return new LifeboatError(
    "NEON_ANSWER_LOST",
    `Neon's answer to "${c.action}" was lost (${describeFailure(e, c.timeoutMs)}; ${ref(f, c)}): Neon may or may not have done it`,
    "Do not repeat the command until `lifeboat neon branches` (and `lifeboat neon status`) show whether it happened.",
    { ...details(c, f), answerLost: true, ...(f ? {} : { code: networkCode(e) ?? "unknown" }) },
  );
}

export interface OperationLike {
  id: string;
  action: string;
  status: string;
  error?: string;
  failures_count?: number;
  retry_at?: string;
}

/** A Neon operation (branch creation, restore, compute start) that ended in failure. */
export function operationFailedError(op: OperationLike, c: NeonCallInfo): LifeboatError {
  return new LifeboatError(
    "NEON_OPERATION_FAILED",
    `Neon's ${op.action} operation ${op.id} ended ${op.status}${op.error ? `: ${redactText(op.error)}` : ""}${op.failures_count ? ` (after ${op.failures_count} failed attempt${op.failures_count === 1 ? "" : "s"})` : ""} (while trying to ${c.action})`,
    "Check the project in the Neon console (Monitoring → System operations) and `lifeboat neon branches`; quote the operation id to Neon support.",
    {
      ...details(c),
      operationId: op.id,
      operationAction: op.action,
      operationStatus: op.status,
      ...(op.failures_count ? { failuresCount: op.failures_count } : {}),
      ...(op.error ? { operationError: redactText(op.error) } : {}),
    },
  );
}

/** Operations still under way when Lifeboat stopped waiting: not a failure, an outcome not known yet. */
export function operationTimeoutError(ops: OperationLike[], waitedMs: number, c: NeonCallInfo): LifeboatError {
  return new LifeboatError(
    "NEON_OUTCOME_UNKNOWN",
    `Neon's operations were still under way after ${secs(waitedMs)} (while trying to ${c.action}): ${ops.map((o) => `${o.action} ${o.id} ${o.status}${o.failures_count ? ` (${o.failures_count} failed attempts, Neon is retrying)` : ""}`).join(", ")}`,
    "They may still finish: check `lifeboat neon branches` and `lifeboat neon status` in a minute, before anything else.",
    {
      ...details(c),
      operations: ops.map((o) => ({ id: o.id, action: o.action, status: o.status })),
      waitedMs,
    },
  );
}
