// A Windows Task Scheduler task per profile and job, as the XML `schtasks /Create /XML` takes (UTF-16 with a byte
// order mark, the Task Scheduler schema). StartWhenAvailable runs an occurrence missed while the PC was off as soon as
// it can; IgnoreNew never starts a second instance while one runs. Task Scheduler's calendar triggers are in local
// time: when the profile's zone is another one, the task wakes the runner every 15 minutes instead and the runner
// decides in the profile's zone.
import { XMLBuilder } from "fast-xml-parser";
import type { ScheduledUnit } from "./scheduled-units.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MAX_TRIGGERS = 48;
const two = (n: number): string => String(n).padStart(2, "0");

type Trigger = Record<string, unknown>;

function schedule(u: ScheduledUnit): Record<string, unknown> {
  const f = u.fields;
  if (f.daysOfWeek.length)
    return {
      ScheduleByWeek: { WeeksInterval: 1, DaysOfWeek: Object.fromEntries(f.daysOfWeek.map((d) => [DAYS[d], ""])) },
    };
  if (f.daysOfMonth.length || f.months.length)
    return {
      ScheduleByMonth: {
        DaysOfMonth: { Day: f.daysOfMonth.length ? f.daysOfMonth : Array.from({ length: 28 }, (_, i) => i + 1) },
        Months: Object.fromEntries(
          (f.months.length ? f.months : MONTHS.map((_, i) => i + 1)).map((m) => [MONTHS[m - 1], ""]),
        ),
      },
    };
  return { ScheduleByDay: { DaysInterval: 1 } };
}

/** The start times of a day as few triggers as Task Scheduler allows: one repeating trigger for even steps. */
function triggers(u: ScheduledUnit): Trigger[] {
  const f = u.fields;
  const poll = (): Trigger[] => [
    {
      CalendarTrigger: {
        StartBoundary: "2026-01-01T00:00:00",
        Repetition: { Interval: "PT15M", Duration: "P1D", StopAtDurationEnd: false },
        ScheduleByDay: { DaysInterval: 1 },
        Enabled: true,
      },
    },
  ];
  if (!u.localZone) return poll();
  const step = (xs: number[], span: number): number | undefined => {
    if (xs.length < 2) return undefined;
    const d = xs[1]! - xs[0]!;
    return xs.every((x, i) => x === xs[0]! + i * d) && xs[0]! + xs.length * d === xs[0]! + span ? d : undefined;
  };
  const minuteStep = f.hours.length === 24 ? step(f.minutes, 60) : undefined;
  const hourStep = f.minutes.length === 1 ? step(f.hours, 24) : undefined;
  if (minuteStep || hourStep) {
    return [
      {
        CalendarTrigger: {
          StartBoundary: `2026-01-01T${two(f.hours[0]!)}:${two(f.minutes[0]!)}:00`,
          Repetition: {
            Interval: minuteStep ? `PT${minuteStep}M` : `PT${hourStep}H`,
            Duration: "P1D",
            StopAtDurationEnd: false,
          },
          ...schedule(u),
          Enabled: true,
        },
      },
    ];
  }
  const times = f.hours.flatMap((h) => f.minutes.map((m) => [h, m] as const));
  if (times.length > MAX_TRIGGERS) return poll();
  return times.map(([h, m]) => ({
    CalendarTrigger: { StartBoundary: `2026-01-01T${two(h)}:${two(m)}:00`, ...schedule(u), Enabled: true },
  }));
}

const quote = (a: string): string => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a);

export function windowsTaskName(u: ScheduledUnit): string {
  return `\\Lifeboat\\${u.profile}-${u.job}`;
}

export function windowsTask(
  u: ScheduledUnit,
  opts: { timeoutHours?: number } = {},
): { name: string; xml: string; content: Buffer } {
  const doc = {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-16" },
    Task: {
      "@_version": "1.2",
      "@_xmlns": "http://schemas.microsoft.com/windows/2004/02/mit/task",
      RegistrationInfo: {
        Description: `Lifeboat ${u.job} of profile ${u.profile} (scheduled: ${u.at})`,
        URI: windowsTaskName(u),
      },
      Triggers: { CalendarTrigger: triggers(u).map((t) => t.CalendarTrigger) },
      Principals: { Principal: { "@_id": "Author", LogonType: "InteractiveToken", RunLevel: "LeastPrivilege" } },
      Settings: {
        MultipleInstancesPolicy: "IgnoreNew",
        DisallowStartIfOnBatteries: false,
        StopIfGoingOnBatteries: false,
        StartWhenAvailable: true,
        RunOnlyIfNetworkAvailable: false,
        ExecutionTimeLimit: `PT${opts.timeoutHours ?? 12}H`,
        Priority: 7,
        Enabled: true,
      },
      Actions: { "@_Context": "Author", Exec: { Command: u.argv[0], Arguments: u.argv.slice(1).map(quote).join(" ") } },
    },
  };
  const xml = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(doc) as string;
  return {
    name: `${u.name}.xml`,
    xml,
    // schtasks reads task XML as UTF-16 LE with a byte order mark.
    content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, "utf16le")]),
  };
}
