import { z } from "zod";
import { ErrorInfo } from "../errors.ts";
import { JobKind } from "./schedule-config.ts";
import { RunOutcome } from "./run-outcome.ts";

/** Whether a scheduled job is due now, why, and when it runs next. */
export const JobPlan = z.object({
  profile: z.string(),
  job: JobKind,
  at: z.string(),
  timezone: z.string(),
  due: z.boolean(),
  reason: z.string(),
  /** The occurrence a run now would be for. */
  scheduledFor: z.string(),
  next: z.string(),
  /** Occurrences since the last handled one that a run now folds into one. */
  missed: z.number(),
  cadenceMs: z.number(),
  last: RunOutcome.pick({
    runId: true,
    status: true,
    scheduledFor: true,
    startedAt: true,
    finishedAt: true,
    machine: true,
  }).optional(),
});
export type JobPlan = z.infer<typeof JobPlan>;

export const RunDueResult = z.object({
  startedAt: z.string(),
  plans: z.array(JobPlan),
  runs: z.array(RunOutcome),
  /** Jobs that were due but not started: the same job already running. */
  refused: z.array(z.object({ profile: z.string(), job: JobKind, error: ErrorInfo })),
  warnings: z.array(z.string()),
  /** 0 when every run that was due succeeded; else the worst run's exit code (the README's table). */
  exitCode: z.number(),
});
export type RunDueResult = z.infer<typeof RunDueResult>;
