// A launchd agent (~/Library/LaunchAgents) per profile and job. launchd runs a calendar interval missed while the Mac
// slept as soon as it wakes (several missed ones coalesce into one), and RunAtLoad starts the runner at login, which
// catches up what passed while the Mac was off. launchd knows only the Mac's local time: when the profile's zone is
// another one, the agent wakes the runner every 15 minutes instead, and the runner decides in the profile's zone.
import { homedir } from "node:os";
import { join } from "node:path";
import { build, type PlistValue } from "plist";
import type { ScheduledUnit } from "./scheduled-units.ts";

const POLL_SECONDS = 900;

/** Every combination of the listed fields (launchd's StartCalendarInterval is a list of such dictionaries). */
function calendarIntervals(u: ScheduledUnit): Record<string, number>[] {
  const f = u.fields;
  const axes: [string, number[]][] = [
    ["Minute", f.minutes],
    ["Hour", f.hours.length === 24 ? [] : f.hours],
    ["Day", f.daysOfMonth],
    ["Month", f.months],
    ["Weekday", f.daysOfWeek],
  ];
  let out: Record<string, number>[] = [{}];
  for (const [key, values] of axes) {
    if (!values.length) continue;
    out = out.flatMap((d) => values.map((v) => ({ ...d, [key]: v })));
  }
  return out;
}

export function launchdLabel(u: ScheduledUnit): string {
  return `org.lifeboat.${u.profile}.${u.job}`;
}

export function launchdAgent(u: ScheduledUnit, home = homedir()): { name: string; content: string } {
  const label = launchdLabel(u);
  const timing = u.localZone ? { StartCalendarInterval: calendarIntervals(u) } : { StartInterval: POLL_SECONDS };
  const doc = {
    Label: label,
    ProgramArguments: u.argv,
    ...timing,
    RunAtLoad: true,
    ProcessType: "Background",
    LowPriorityIO: true,
    Nice: 10,
    StandardOutPath: join(home, "Library", "Logs", "lifeboat", `${label}.log`),
    StandardErrorPath: join(home, "Library", "Logs", "lifeboat", `${label}.log`),
  };
  return { name: `${label}.plist`, content: build(doc as unknown as PlistValue) };
}
