// systemd user timers: a oneshot service that runs the job and a timer with the job's calendar. Persistent=true makes
// systemd start a run at boot or wake for an occurrence that passed while the machine was off or asleep; the runner
// then folds every missed occurrence into that one run.
import type { ScheduleFields } from "../../../shared/schedule/schedule-expression.ts";
import type { ScheduledUnit } from "./scheduled-units.ts";

const DAY = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const two = (n: number): string => String(n).padStart(2, "0");
const list = (xs: number[], all: number): string =>
  xs.length === 0 || xs.length === all ? "*" : xs.map(two).join(",");

/** systemd.time(7) calendar event for the fields, in the given zone. */
export function onCalendar(f: ScheduleFields, timezone: string): string {
  const dow = f.daysOfWeek.length ? `${f.daysOfWeek.map((d) => DAY[d]).join(",")} ` : "";
  return `${dow}*-${list(f.months, 12)}-${list(f.daysOfMonth, 31)} ${list(f.hours, 24)}:${f.minutes.map(two).join(",")}:00 ${timezone}`;
}

/** Arguments as systemd's ExecStart= reads them: each one double-quoted, with \ and " escaped, $ and % doubled. */
function execLine(argv: string[]): string {
  return argv
    .map((a) => `"${a.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$/g, "$$$$").replace(/%/g, "%%")}"`)
    .join(" ");
}

export interface UnitFile {
  name: string;
  content: string;
}

export function systemdUnits(u: ScheduledUnit, opts: { timeoutHours?: number } = {}): UnitFile[] {
  const what = `Lifeboat ${u.job} of profile ${u.profile}`;
  const service = [
    "[Unit]",
    `Description=${what} (scheduled: ${u.at})`,
    "Documentation=man:systemd.timer(5)",
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    `ExecStart=${execLine(u.argv)}`,
    // env: references for headless runs: KEY=value lines in a file only this user can read. Optional ('-').
    "EnvironmentFile=-%h/.config/lifeboat/lifeboat.env",
    "Nice=10",
    "IOSchedulingClass=best-effort",
    "IOSchedulingPriority=7",
    `TimeoutStartSec=${opts.timeoutHours ?? 12}h`,
    "",
  ].join("\n");
  const timer = [
    "[Unit]",
    `Description=${what}: ${u.at}`,
    "",
    "[Timer]",
    `OnCalendar=${onCalendar(u.fields, u.timezone)}`,
    "Persistent=true",
    "AccuracySec=1min",
    `Unit=${u.name}.service`,
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
  return [
    { name: `${u.name}.service`, content: service },
    { name: `${u.name}.timer`, content: timer },
  ];
}
