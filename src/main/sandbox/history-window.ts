import { badRequest } from "./neon-error.ts";

// Neon takes RFC 3339 timestamps ("2024-02-26T12:00:00Z"); PostgreSQL's recovery_target_time wants the same instant
// without the "Z" abbreviation. The fraction (up to microseconds) is kept: a commit 300 µs after the target is not in.
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:?\d{2})$/;

export interface TargetTime {
  at: Date;
  /** For recovery_target_time. */
  literal: string;
  /** As given, normalised to UTC ISO for responses. */
  iso: string;
}

export function parseTargetTime(text: unknown, field: string): TargetTime {
  const m = typeof text === "string" ? RFC3339.exec(text.trim()) : null;
  const ms = m ? Date.parse(`${m[1]}T${m[2]}${(m[3] ?? "").slice(0, 4)}${m[4]!.toUpperCase()}`) : NaN;
  if (!m || Number.isNaN(ms)) {
    throw badRequest(
      `${field} must be an RFC 3339 timestamp such as 2024-02-26T12:00:00Z, got ${JSON.stringify(text)}`,
    );
  }
  const fraction = (m[3] ?? "").slice(0, 7);
  const zone = /^[Zz]$/.test(m[4]!) ? "+00" : m[4]!;
  return { at: new Date(ms), literal: `${m[1]} ${m[2]}${fraction}${zone}`, iso: new Date(ms).toISOString() };
}

export interface HistoryWindow {
  earliest: Date;
  now: Date;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, "Z");
}

/** Refuses a time in the future or before the history window, naming the window (or the Free plan's 1 GB cap). */
export function assertInWindow(t: TargetTime, window: HistoryWindow, field: string, capped = false): void {
  if (t.at.getTime() > window.now.getTime()) {
    throw badRequest(
      `${field} ${t.iso} is in the future; the latest point in the branch's history is now (${iso(window.now)})`,
    );
  }
  if (t.at.getTime() < window.earliest.getTime()) {
    if (capped)
      throw badRequest(
        `${field} ${t.iso} is outside the project's history: the Free plan keeps at most 1 GB of history, which now begins at ${iso(window.earliest)}`,
      );
    throw badRequest(
      `${field} ${t.iso} is outside the project's history retention window: the earliest point that can be restored is ${iso(window.earliest)}`,
    );
  }
}
