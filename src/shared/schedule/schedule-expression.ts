// When a scheduled job runs, written the way an operator says it ("daily at 02:00", "every 6 hours", "weekly on
// sunday at 03:00", "quarterly on day 1 at 04:00") or as a five-field cron expression. Every form becomes one cron
// expression: cron-parser computes the occurrences (time zones and DST included), and each platform scheduler
// (systemd, launchd, Task Scheduler, Kubernetes) is generated from its expanded fields. Forms that one of those
// platforms cannot express are refused here, so a schedule that validates can be installed everywhere.
// The parser alone: the package index also exports its crontab-file reader, which pulls node:fs into the console.
import { CronExpressionParser } from "cron-parser/dist/CronExpressionParser.js";

export interface ParsedSchedule {
  /** Five-field cron expression: minute hour day-of-month month day-of-week. */
  cron: string;
  /** The expanded fields (day-of-week 0-6, Sunday 0), what the platform generators read. */
  fields: ScheduleFields;
}

export interface ScheduleFields {
  minutes: number[];
  hours: number[];
  /** Empty: every day of the month. */
  daysOfMonth: number[];
  /** Empty: every month. */
  months: number[];
  /** Empty: every day of the week. */
  daysOfWeek: number[];
}

export class ScheduleSyntaxError extends Error {}

const DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
export const SCHEDULE_EXAMPLES = [
  "daily at 02:00",
  "every 6 hours",
  "weekly on sunday at 03:00",
  "monthly on day 1 at 04:00",
  "quarterly on day 1 at 04:00",
  "0 2 * * *",
];
const HELP = `Write it as ${SCHEDULE_EXAMPLES.map((e) => `"${e}"`).join(", ")}.`;

function time(text: string | undefined, what: string): { h: number; m: number } {
  if (text === undefined) return { h: 0, m: 0 };
  const t = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!t) throw new ScheduleSyntaxError(`"${text}" in ${what} is not a time of day (HH:MM, 00:00 to 23:59).`);
  return { h: Number(t[1]), m: Number(t[2]) };
}

function day(name: string): number {
  const i = DAYS.findIndex((d) => d.startsWith(name.toLowerCase()) && name.length >= 3);
  if (i < 0) throw new ScheduleSyntaxError(`"${name}" is not a day of the week (monday … sunday, or mon … sun).`);
  return i;
}

function dayOfMonth(text: string, what: string): number {
  const d = Number(text);
  if (!Number.isInteger(d) || d < 1 || d > 28)
    throw new ScheduleSyntaxError(
      `day ${text} in ${what} is not a day every month has: use 1 to 28 (February has no 29th to 31st).`,
    );
  return d;
}

/** The friendly forms, as cron; undefined when the text is not one of them (it may still be cron). */
function friendlyToCron(text: string): string | undefined {
  const s = text.trim().toLowerCase().replace(/\s+/g, " ");
  let m: RegExpExecArray | null;
  if (s === "hourly") return "0 * * * *";
  if ((m = /^every (\d+) minutes?$/.exec(s))) {
    const n = Number(m[1]);
    if (n < 5 || n > 30 || 60 % n !== 0)
      throw new ScheduleSyntaxError(`every ${n} minutes: use 5, 6, 10, 12, 15, 20 or 30 minutes (a divisor of 60).`);
    return `*/${n} * * * *`;
  }
  if ((m = /^every (\d+) hours?(?: at :([0-5]\d))?$/.exec(s))) {
    const n = Number(m[1]);
    if (n < 1 || n > 12 || 24 % n !== 0)
      throw new ScheduleSyntaxError(`every ${n} hours: use 1, 2, 3, 4, 6, 8 or 12 hours (a divisor of 24).`);
    return `${Number(m[2] ?? 0)} ${n === 1 ? "*" : `*/${n}`} * * *`;
  }
  if ((m = /^(?:daily|every day)(?: at)?(?: (\S+))?$/.exec(s))) {
    const t = time(m[1], text);
    return `${t.m} ${t.h} * * *`;
  }
  if ((m = /^weekly(?: on)? ([a-z, ]+?)(?: at (\S+))?$/.exec(s))) {
    const days = m[1]!.split(/[ ,]+/).filter((d) => d && d !== "and");
    const t = time(m[2], text);
    return `${t.m} ${t.h} * * ${[...new Set(days.map(day))].sort().join(",")}`;
  }
  if ((m = /^(monthly|quarterly)(?: on day (\d+))?(?: at (\S+))?$/.exec(s))) {
    const d = m[2] ? dayOfMonth(m[2], text) : 1;
    const t = time(m[3], text);
    return `${t.m} ${t.h} ${d} ${m[1] === "quarterly" ? "1,4,7,10" : "*"} *`;
  }
  if (/^(daily|weekly|monthly|quarterly|every|hourly)\b/.test(s))
    throw new ScheduleSyntaxError(`"${text}" is not a schedule Lifeboat understands. ${HELP}`);
  return undefined;
}

const values = (f: { values: readonly (number | string)[] }): number[] =>
  [...new Set(f.values.map(Number))].sort((a, b) => a - b);

const parsed = new Map<string, ParsedSchedule>();

/** Parses a schedule; throws ScheduleSyntaxError with what is wrong and how to write it. Remembered: it is pure. */
export function parseSchedule(text: string): ParsedSchedule {
  const known = parsed.get(text);
  if (known) return known;
  const p = parseUncached(text);
  if (parsed.size > 1000) parsed.clear();
  parsed.set(text, p);
  return p;
}

function parseUncached(text: string): ParsedSchedule {
  if (typeof text !== "string" || !text.trim()) throw new ScheduleSyntaxError(`The schedule is empty. ${HELP}`);
  const cron = friendlyToCron(text) ?? text.trim().replace(/\s+/g, " ");
  const parts = cron.split(" ");
  if (parts.length !== 5 || parts.some((p) => p.startsWith("@")))
    throw new ScheduleSyntaxError(
      `"${text}" is neither a schedule Lifeboat understands nor a five-field cron. ${HELP}`,
    );
  let f;
  try {
    f = CronExpressionParser.parse(cron, { strict: false }).fields;
  } catch (e) {
    throw new ScheduleSyntaxError(`"${text}" is not a valid cron expression: ${(e as Error).message}. ${HELP}`);
  }
  if (!f.dayOfMonth.isWildcard && !f.dayOfWeek.isWildcard)
    throw new ScheduleSyntaxError(
      `"${text}" restricts both the day of the month and the day of the week; cron runs on either, systemd and Task Scheduler only on both. Restrict one of them.`,
    );
  if (!f.dayOfMonth.isWildcard && values(f.dayOfMonth).some((d) => d > 28))
    throw new ScheduleSyntaxError(`"${text}" names a day of the month after the 28th, which some months lack.`);
  const fields: ScheduleFields = {
    minutes: values(f.minute),
    hours: values(f.hour),
    daysOfMonth: f.dayOfMonth.isWildcard ? [] : values(f.dayOfMonth),
    months: f.month.isWildcard ? [] : values(f.month),
    daysOfWeek: f.dayOfWeek.isWildcard ? [] : [...new Set(values(f.dayOfWeek).map((d) => d % 7))].sort(),
  };
  if (fields.minutes.length * fields.hours.length > 288)
    throw new ScheduleSyntaxError(`"${text}" runs more often than every 5 minutes; that is not a backup schedule.`);
  return { cron, fields };
}

/** The zod-friendly check: undefined when the schedule parses, else why not. */
export function scheduleProblem(text: string): string | undefined {
  try {
    parseSchedule(text);
    return undefined;
  } catch (e) {
    return e instanceof ScheduleSyntaxError ? e.message : String(e);
  }
}

const zones = new Map<string, boolean>();

/**
 * An IANA time zone this runtime knows ("Europe/Berlin", "UTC"). Remembered: building the Intl formatter that decides it
 * takes milliseconds, and a config of 100 profiles asks for every one.
 */
export function isTimeZone(tz: string): boolean {
  const known = zones.get(tz);
  if (known !== undefined) return known;
  let ok: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    ok = true;
  } catch {
    ok = false;
  }
  if (zones.size > 1000) zones.clear();
  zones.set(tz, ok);
  return ok;
}
