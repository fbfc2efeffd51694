// The period a report covers: by default the twelve months up to now; otherwise the dates given (a bare date's "to"
// is the end of that day, UTC).
import { LifeboatError } from "../../shared/errors.ts";

export interface ReportPeriod {
  from: string;
  to: string;
}

const DATE_ONLY = /^\d{4}-\d\d-\d\d$/;

function parse(value: string, name: string, endOfDay: boolean): number {
  const t = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t))
    throw new LifeboatError(
      "USAGE",
      `--${name} "${value}" is not a date.`,
      "Use a date such as 2026-01-01, or an ISO 8601 time.",
    );
  return DATE_ONLY.test(value) && endOfDay ? t + 86_400_000 - 1 : t;
}

export function reportPeriod(req: { from?: string | undefined; to?: string | undefined }, now: Date): ReportPeriod {
  const to = req.to !== undefined ? parse(req.to, "to", true) : now.getTime();
  let from: number;
  if (req.from !== undefined) from = parse(req.from, "from", false);
  else {
    const d = new Date(to);
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    from = d.getTime();
  }
  if (from >= to)
    throw new LifeboatError("USAGE", "The period's start is not before its end.", "Give --from earlier than --to.");
  if (to > now.getTime() + 60_000)
    throw new LifeboatError("USAGE", "The period ends in the future.", "Leave out --to to end the period now.");
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
