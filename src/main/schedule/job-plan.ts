// Which of a profile's scheduled jobs are due now, from the schedule and the job's last run. Pure, with the clock
// passed in, so catching up after a machine slept or was off is tested by moving a date.
//
// A job is due when its latest occurrence at or before now has not been handled by a run that ended (ok or failed):
// occurrences missed while the machine was off are not run one by one, but once, now (`missed` says how many were
// folded into it). A failed run does not make its occurrence due again: retries happen inside the run, within its
// window, and then it alerts; the next occurrence is the next chance.
import type { Profile } from "../../shared/config.ts";
import {
  cadenceMs,
  nextOccurrence,
  occurrencesBetween,
  previousOccurrence,
} from "../../shared/schedule/occurrences.ts";
import { scheduledJobs, type JobKind } from "../../shared/schedule/schedule-config.ts";
import type { JobPlan } from "../../shared/schedule/job-plan-schema.ts";
import type { RunOutcome } from "../../shared/schedule/run-outcome.ts";

export type { JobPlan };

/** The zone a profile's times are in: its own, else this machine's. */
export function scheduleZone(profile: Profile): string {
  return profile.schedule?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

export function planJob(
  profile: Profile,
  job: JobKind,
  last: RunOutcome | undefined,
  now: Date,
  opts: { leaseExpired?: boolean } = {},
): JobPlan {
  const entry = profile.schedule?.[job];
  if (!entry) throw new Error(`profile ${profile.name} does not schedule ${job}`);
  const tz = scheduleZone(profile);
  const prev = previousOccurrence(entry.at, tz, now);
  const base = {
    profile: profile.name,
    job,
    at: entry.at,
    timezone: tz,
    scheduledFor: prev.toISOString(),
    next: nextOccurrence(entry.at, tz, now).toISOString(),
    cadenceMs: cadenceMs(entry.at, tz, now),
    ...(last
      ? {
          last: {
            runId: last.runId,
            status: last.status,
            scheduledFor: last.scheduledFor,
            startedAt: last.startedAt,
            ...(last.finishedAt ? { finishedAt: last.finishedAt } : {}),
            machine: last.machine,
          },
        }
      : {}),
  };
  if (!last) return { ...base, due: true, missed: 0, reason: "never ran: runs now" };
  const handled = Date.parse(last.scheduledFor);
  if (last.status === "running" && !opts.leaseExpired)
    return {
      ...base,
      due: false,
      missed: 0,
      reason:
        handled >= prev.getTime()
          ? `running since ${last.startedAt} on ${last.machine.host}`
          : `the run for ${last.scheduledFor} is still going on ${last.machine.host} past its next start (overrun); ${base.scheduledFor} runs once it ends`,
    };
  if (handled >= prev.getTime() && last.status !== "running")
    return { ...base, due: false, missed: 0, reason: `done for ${base.scheduledFor} (${last.status})` };
  const missed = Math.max(0, occurrencesBetween(entry.at, tz, new Date(handled), prev).length - 1);
  const interrupted = last.status === "running" ? "the last run never finished (interrupted); " : "";
  return {
    ...base,
    due: true,
    missed,
    reason: missed
      ? `${interrupted}${missed + 1} occurrences since the last run (${last.scheduledFor}): catching up with one run`
      : `${interrupted}due since ${base.scheduledFor}`,
  };
}

/** Every scheduled job of the profile, in order: backup first, so the verify and the drill test the fresh backup. */
export function planProfile(
  profile: Profile,
  lastRuns: Partial<Record<JobKind, RunOutcome>>,
  now: Date,
  expired: (o: RunOutcome) => boolean = (o) => Date.parse(o.leaseUntil) < now.getTime(),
): JobPlan[] {
  return scheduledJobs(profile.schedule).map(({ job }) => {
    const last = lastRuns[job];
    return planJob(profile, job, last, now, last ? { leaseExpired: expired(last) } : {});
  });
}
