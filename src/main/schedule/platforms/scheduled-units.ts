// What every platform scheduler is generated from: one unit per profile and job, the command it runs (the due-job
// runner for that one job, which decides again whether it is due, so a timer that fires late or twice is harmless),
// and the schedule's expanded fields.
import { join, resolve } from "node:path";
import type { Profile } from "../../../shared/config.ts";
import { parseSchedule, type ScheduleFields } from "../../../shared/schedule/schedule-expression.ts";
import { scheduledJobs, type JobKind } from "../../../shared/schedule/schedule-config.ts";
import { PACKAGE_ROOT } from "../../package-root.ts";
import { scheduleZone } from "../job-plan.ts";

export interface ScheduledUnit {
  profile: string;
  job: JobKind;
  /** lifeboat-<profile>-<job>: systemd unit, launchd label and task names derive from it. */
  name: string;
  at: string;
  cron: string;
  fields: ScheduleFields;
  timezone: string;
  /** Whether the profile's zone is this machine's own: launchd and Task Scheduler know only local time. */
  localZone: boolean;
  /** The program and its arguments, no shell involved. */
  argv: string[];
}

export interface UnitOptions {
  /** The config file the runs read (written into the command as --config). */
  configPath: string;
  platform: string;
  /** Also write the metrics for node_exporter after each run. */
  metricsTextfile?: string;
  /** The node binary and the CLI entry; default this process's node and this package's bin/lifeboat.js. */
  node?: string;
  entry?: string;
}

export function scheduledUnits(profiles: Profile[], o: UnitOptions): ScheduledUnit[] {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return profiles.flatMap((p) =>
    scheduledJobs(p.schedule).map(({ job, schedule }) => {
      const parsed = parseSchedule(schedule.at);
      const tz = scheduleZone(p);
      return {
        profile: p.name,
        job,
        name: `lifeboat-${p.name}-${job}`,
        at: schedule.at,
        cron: parsed.cron,
        fields: parsed.fields,
        timezone: tz,
        localZone: tz === local,
        argv: [
          o.node ?? process.execPath,
          o.entry ?? join(PACKAGE_ROOT, "bin", "lifeboat.js"),
          "--config",
          o.configPath,
          "schedule",
          "run",
          "--profile",
          p.name,
          "--job",
          job,
          "--runner",
          o.platform,
          // Absolute: the scheduler starts the run in its own working folder, not the one install ran in.
          ...(o.metricsTextfile ? ["--metrics-textfile", resolve(o.metricsTextfile)] : []),
        ],
      };
    }),
  );
}
