// When a schedule's occurrences fall, in the schedule's own time zone (DST included), by cron-parser.
// The parser alone: the package index also exports its crontab-file reader, which pulls node:fs into the console.
import { CronExpressionParser } from "cron-parser/dist/CronExpressionParser.js";
import { parseSchedule } from "./schedule-expression.ts";

function expression(schedule: string, tz: string | undefined, at: Date) {
  return CronExpressionParser.parse(parseSchedule(schedule).cron, {
    currentDate: at,
    ...(tz ? { tz } : {}),
  });
}

/** The latest occurrence at or before `now`. */
export function previousOccurrence(schedule: string, tz: string | undefined, now: Date): Date {
  // cron-parser's prev() is strictly before its current date; one second later makes "at now" count.
  return expression(schedule, tz, new Date(now.getTime() + 1000))
    .prev()
    .toDate();
}

/** The first occurrence strictly after `now`. */
export function nextOccurrence(schedule: string, tz: string | undefined, now: Date): Date {
  return expression(schedule, tz, now).next().toDate();
}

/** Occurrences in (from, to], oldest first, at most `limit`. */
export function occurrencesBetween(
  schedule: string,
  tz: string | undefined,
  from: Date,
  to: Date,
  limit = 1000,
): Date[] {
  const out: Date[] = [];
  const it = expression(schedule, tz, from);
  for (let i = 0; i < limit; i++) {
    const d = it.next().toDate();
    if (d.getTime() > to.getTime()) break;
    out.push(d);
  }
  return out;
}

const cadences = new Map<string, number>();

/**
 * The longest gap between consecutive occurrences (the next 16, within a year): what "1.5 times the cadence" is judged
 * against, so "weekly on monday, thursday" is not late on the fourth day. Remembered per schedule, zone and day:
 * cron-parser takes tens of milliseconds for it, and `check` asks for every profile.
 */
export function cadenceMs(schedule: string, tz: string | undefined, from: Date): number {
  const key = `${schedule}|${tz ?? ""}|${from.toISOString().slice(0, 10)}`;
  const known = cadences.get(key);
  if (known !== undefined) return known;
  const it = expression(schedule, tz, from);
  let prev = it.next().toDate().getTime();
  let longest = 0;
  const end = prev + 366 * 86_400_000;
  for (let i = 0; i < 16; i++) {
    const next = it.next().toDate().getTime();
    if (next > end) break;
    longest = Math.max(longest, next - prev);
    prev = next;
  }
  if (cadences.size > 1000) cadences.clear();
  cadences.set(key, longest);
  return longest;
}
