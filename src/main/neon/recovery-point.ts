// What an operator types as "the moment to go back to": an absolute time, a WAL position (LSN), or "N units ago".
import { LifeboatError } from "../../shared/errors.ts";
import { parseRelativeTime, RELATIVE_TIME_EXAMPLES } from "./relative-time.ts";

export type RecoveryPoint =
  { kind: "timestamp"; at: Date; input: string; relative: boolean } | { kind: "lsn"; lsn: string; input: string };

export const RECOVERY_POINT_HELP =
  `Give an ISO time with its zone ("2026-01-17T14:29:59Z", "2026-01-17 14:29:59 UTC", "2026-01-17T15:29:59+01:00"), ` +
  `an LSN ("0/1A2B3C4"), or a relative time (${RELATIVE_TIME_EXAMPLES.join(", ")}).`;

const LSN = /^([0-9A-F]{1,8})\/([0-9A-F]{1,8})$/i;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An ISO-like time with an explicit zone, or undefined when the text is not shaped like a time at all. */
export function parseTimestamp(input: string): Date | undefined {
  const m = TIMESTAMP.exec(input.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = "00", frac = "", zone] = m;
  if (!zone) {
    // During an outage, a laptop in one zone and a server in another is exactly how the wrong second gets restored.
    throw new LifeboatError(
      "USAGE",
      `"${input}" has no time zone, so it could mean different moments on different machines.`,
      `Add the zone: "${input.trim()} UTC", "${input.trim().replace(" ", "T")}Z" or an offset such as +01:00.`,
    );
  }
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new LifeboatError("USAGE", `"${input}" is not a valid date and time.`, RECOVERY_POINT_HELP);
  }
  const z = zone.toUpperCase();
  const offset =
    z === "Z" || z === "UTC" || z === "GMT"
      ? "Z"
      : z.length === 3
        ? `${z}:00`
        : z.includes(":")
          ? z
          : `${z.slice(0, 3)}:${z.slice(3)}`;
  // Millisecond precision is all a Date holds; Neon takes whole seconds anyway.
  const ms = frac ? frac.slice(0, 4).padEnd(4, "0") : "";
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${ms}${offset}`);
  if (Number.isNaN(at.getTime()))
    throw new LifeboatError("USAGE", `"${input}" is not a valid date and time.`, RECOVERY_POINT_HELP);
  return at;
}

/** Parses a recovery point; anything unrecognised is a USAGE error that shows the accepted forms. */
export function parseRecoveryPoint(input: string, now: Date): RecoveryPoint {
  const text = input.trim();
  const lsn = LSN.exec(text);
  if (lsn) return { kind: "lsn", lsn: `${lsn[1]!.toUpperCase()}/${lsn[2]!.toUpperCase()}`, input: text };
  const at = parseTimestamp(text);
  if (at) return { kind: "timestamp", at, input: text, relative: false };
  const rel = parseRelativeTime(text, now);
  // Whole seconds: the absolute form is what the operator sees, journals and types again.
  if (rel)
    return { kind: "timestamp", at: new Date(Math.floor(rel.getTime() / 1000) * 1000), input: text, relative: true };
  throw new LifeboatError("USAGE", `"${text}" is not a recovery point Lifeboat understands.`, RECOVERY_POINT_HELP);
}

/** How Neon wants a timestamp: RFC 3339 in UTC, whole seconds unless the operator gave a fraction. */
export function neonTimestamp(at: Date): string {
  const iso = at.toISOString();
  return at.getUTCMilliseconds() === 0 ? iso.replace(".000Z", "Z") : iso;
}

export function describePoint(p: RecoveryPoint): string {
  if (p.kind === "lsn") return `LSN ${p.lsn}`;
  return p.relative ? `${neonTimestamp(p.at)} (${p.input})` : neonTimestamp(p.at);
}
