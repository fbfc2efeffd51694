// Faults on demand, so every path of a client (Lifeboat's, neonctl's, a script's) can be practised and tested against
// a real project instead of a stub: Neon's "not now" answers (423, 429 with Retry-After, 503), server faults (500,
// 502, 504) before or after the request was carried out, dropped connections before or after it, slow answers, and
// operations that fail, that Neon retries (status error), or that never finish.
import { LifeboatError } from "../../shared/errors.ts";

export type FaultKind =
  /** Answer `status` at once; nothing is done. */
  | "status"
  /** Carry the request out, then answer `status` instead of the result (a gateway that lost the answer). */
  | "status-after"
  /** Drop the connection before anything is done. */
  | "drop-before"
  /** Carry the request out, then drop the connection instead of answering. */
  | "drop-after"
  /** Carry the request out, then hold the answer `delayMs` (beyond the client's timeout it is a lost answer). */
  | "delay"
  /** The request's operations go to status "error" `failures` times (Neon retrying them), then finish. */
  | "operation-retried"
  /** The request's first operation ends "failed". */
  | "operation-failed"
  /** The request's operations never finish (stay "running"). */
  | "operation-stuck";

export interface FaultRule {
  kind: FaultKind;
  /** Neon's operationId ("restoreProjectBranch", "getProjectOperation"), or "*" for any. Default "*". */
  operation?: string;
  /** Only requests with this method (GET, POST, ...). */
  method?: string;
  /** For "status" and "status-after". */
  status?: number;
  /** Retry-After in seconds, sent with a "status" answer. */
  retryAfterSeconds?: number;
  message?: string;
  delayMs?: number;
  failures?: number;
  /** How many matching requests it hits (default 1). */
  times?: number;
}

export interface ActiveFault extends FaultRule {
  hits: number;
}

const KINDS: FaultKind[] = [
  "status",
  "status-after",
  "drop-before",
  "drop-after",
  "delay",
  "operation-retried",
  "operation-failed",
  "operation-stuck",
];

/** Neon's own words for the statuses it uses; others get the HTTP reason. */
export const FAULT_MESSAGES: Record<number, string> = {
  423: "project already has running conflicting operations, scheduling of new ones is prohibited",
  429: "rate limit exceeded, try again later",
  500: "internal server error (injected by the Lifeboat sandbox)",
  502: "bad gateway (injected by the Lifeboat sandbox)",
  503: "service unavailable, try again later",
  504: "gateway timeout (injected by the Lifeboat sandbox)",
};

export const REQUEST_FAULTS: FaultKind[] = ["status", "status-after", "drop-before", "drop-after", "delay"];
export const OPERATION_FAULTS: FaultKind[] = ["operation-retried", "operation-failed", "operation-stuck"];

export class FaultInjector {
  private rules: ActiveFault[] = [];

  add(rule: FaultRule): ActiveFault {
    if (!KINDS.includes(rule.kind))
      throw new LifeboatError("USAGE", `unknown fault kind "${rule.kind}"`, `Choose one of: ${KINDS.join(", ")}.`);
    const f = { ...rule, hits: 0 };
    this.rules.push(f);
    return f;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFault[] {
    return [...this.rules];
  }

  /** The fault that hits this request (counted), or undefined. Operation faults are taken by the queue instead. */
  take(operationId: string, method: string, kinds?: FaultKind[]): ActiveFault | undefined {
    const f = this.rules.find(
      (r) =>
        ((r.operation ?? "*") === "*" || r.operation === operationId) &&
        (!r.method || r.method.toUpperCase() === method.toUpperCase()) &&
        (!kinds || kinds.includes(r.kind)) &&
        r.hits < (r.times ?? 1),
    );
    if (!f) return undefined;
    f.hits++;
    if (f.hits >= (f.times ?? 1)) this.rules = this.rules.filter((r) => r !== f);
    return f;
  }
}

/**
 * `lifeboat sandbox --fault` syntax: "kind[:operation][,key=value…]", e.g. "drop-after:restoreProjectBranch",
 * "status:*,status=503,times=3", "status:getProject,status=429,retry-after=2", "operation-retried,failures=2".
 */
export function parseFault(spec: string): FaultRule {
  const [head = "", ...pairs] = spec.split(",").map((s) => s.trim());
  const [kind, operation] = head.split(":");
  const rule: FaultRule = { kind: kind as FaultKind, ...(operation ? { operation } : {}) };
  for (const p of pairs) {
    const [k, v = ""] = p.split("=");
    const n = Number(v);
    if (k === "status" && Number.isInteger(n)) rule.status = n;
    else if (k === "retry-after" && n >= 0) rule.retryAfterSeconds = n;
    else if (k === "delay" && n >= 0) rule.delayMs = n;
    else if (k === "failures" && Number.isInteger(n) && n > 0) rule.failures = n;
    else if (k === "times" && (v === "always" || (Number.isInteger(n) && n > 0)))
      rule.times = v === "always" ? Infinity : n;
    else if (k === "method") rule.method = v.toUpperCase();
    else
      throw new LifeboatError(
        "USAGE",
        `--fault "${spec}": "${p}" is not understood`,
        'e.g. --fault "drop-after:restoreProjectBranch" or --fault "status:*,status=503,times=3" (keys: status, retry-after, delay, failures, times, method).',
      );
  }
  if (!KINDS.includes(rule.kind))
    throw new LifeboatError(
      "USAGE",
      `--fault "${spec}": unknown kind "${kind}"`,
      `Choose one of: ${KINDS.join(", ")}.`,
    );
  if ((rule.kind === "status" || rule.kind === "status-after") && !rule.status)
    throw new LifeboatError("USAGE", `--fault "${spec}" needs status=<HTTP status>`, 'e.g. "status:*,status=503".');
  return rule;
}
