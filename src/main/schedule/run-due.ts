// The one entry point every scheduler calls (systemd, launchd, Task Scheduler, a Kubernetes CronJob, or a person):
// run whatever is due, for one profile or all of them, and nothing that is not. Platform timers only wake it up; the
// decision of what is due is made here, from the schedule and the runs recorded in the store, so a timer that fires
// late, twice, or after the machine was off does the right thing.
import type { Profile } from "../../shared/config.ts";
import { EXIT_CODES, exitCodeFor } from "../../shared/errors.ts";
import type { JobKind } from "../../shared/schedule/schedule-config.ts";
import type { RunDueResult } from "../../shared/schedule/job-plan-schema.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import { notifyNewAlerts } from "../notify/notify-alerts.ts";
import { profileFacts } from "../monitoring/profile-facts.ts";
import { planProfile } from "./job-plan.ts";
import { thisMachine } from "./machine.ts";
import { newerStates, readLocalStates, readStoreStates, type JobStates } from "./job-state.ts";
import { runScheduledJob } from "./run-scheduled-job.ts";
import type { RunnerDeps } from "./runner-deps.ts";

export interface RunDueOptions {
  /** Only this job of each profile. */
  job?: JobKind;
  /** Run the selected jobs even when they are not due (an operator's "run it now"); still one at a time. */
  force?: boolean;
}

async function lastRuns(
  deps: Pick<RunnerDeps, "store" | "stateDir">,
  profile: Profile,
  warnings: string[],
): Promise<JobStates> {
  const local = await readLocalStates(deps.stateDir, profile.name);
  try {
    return newerStates(await readStoreStates(await deps.store(profile), profile.name), local);
  } catch (e) {
    warnings.push(
      `${profile.name}: the store's run records could not be read (${toErrorInfo(e).message}); this machine's own records were used.`,
    );
    return local;
  }
}

/** The profile's open alerts after its runs, to the webhook once each (best effort: a failure is a warning). */
async function notifyOpenAlerts(deps: RunnerDeps, profile: Profile, warnings: string[]): Promise<void> {
  if (!profile.monitoring.webhook) return;
  try {
    const webhook = await deps.engine.resolveSecret(profile.monitoring.webhook);
    const facts = await profileFacts(profile, {
      ctx: deps.engine,
      store: deps.store,
      journal: deps.journal,
      now: deps.now(),
      timeoutMs: 30_000,
      database: false,
      neon: false,
    });
    await notifyNewAlerts(facts.alerts, {
      profile: profile.name,
      store: await deps.store(profile),
      webhook,
      journal: deps.journal,
      host: thisMachine(deps.runner, deps.engine.env).host,
      now: deps.now(),
      ...(deps.http ? { http: deps.http } : {}),
    });
  } catch (e) {
    warnings.push(`${profile.name}: open alerts could not be sent to the webhook: ${toErrorInfo(e).message}`);
  }
}

/** A run that starts this long after its occurrence is catching up (the machine slept, was off, or the timer fired late). */
const LATE_MS = 15 * 60_000;

/** What is due now for each profile, and why: `lifeboat schedule status` and the console's settings. */
export async function planDue(
  profiles: Profile[],
  deps: Pick<RunnerDeps, "store" | "stateDir" | "now">,
): Promise<{ plans: RunDueResult["plans"]; warnings: string[] }> {
  const warnings: string[] = [];
  const plans = await Promise.all(
    profiles.map(async (p) => planProfile(p, await lastRuns(deps, p, warnings), deps.now())),
  );
  return { plans: plans.flat(), warnings };
}

function worse(a: number, b: number): number {
  // Any failure outranks success; among failures the first seen is kept (exit 1 is reserved for bugs).
  return a !== EXIT_CODES.OK ? a : b;
}

export async function runDue(profiles: Profile[], deps: RunnerDeps, opts: RunDueOptions = {}): Promise<RunDueResult> {
  const startedAt = deps.now();
  const result: RunDueResult = {
    startedAt: startedAt.toISOString(),
    plans: [],
    runs: [],
    refused: [],
    warnings: [],
    exitCode: 0,
  };
  for (const profile of profiles) {
    if (!profile.schedule) result.warnings.push(`${profile.name} has no schedule: nothing to run.`);
    const states = await lastRuns(deps, profile, result.warnings);
    const plans = planProfile(profile, states, deps.now()).filter((p) => !opts.job || p.job === opts.job);
    result.plans.push(...plans);
    for (const plan of plans) {
      if (deps.engine.signal?.aborted) break;
      // Each job is planned again just before it runs: the backup before it may have taken hours.
      const fresh = planProfile(profile, { [plan.job]: states[plan.job] }, deps.now()).find((p) => p.job === plan.job)!;
      if (!fresh.due && !opts.force) continue;
      const late = deps.now().getTime() - Date.parse(fresh.scheduledFor) > LATE_MS;
      const trigger = !fresh.due ? "manual" : fresh.missed > 0 || late ? "catch-up" : "schedule";
      const run = await runScheduledJob(deps, profile, fresh, trigger, states[plan.job]);
      if (run.ran) {
        result.runs.push(run.outcome);
        states[plan.job] = run.outcome;
        result.exitCode = worse(result.exitCode, run.outcome.exitCode ?? EXIT_CODES.INTERNAL);
      } else {
        result.refused.push({ profile: profile.name, job: plan.job, error: run.refused });
        result.exitCode = worse(result.exitCode, exitCodeFor(run.refused.code));
      }
    }
    if (result.runs.some((r) => r.profile === profile.name)) await notifyOpenAlerts(deps, profile, result.warnings);
  }
  return result;
}
