// The per-profile schedule and monitoring sections of the config: which jobs run when, how failures are retried,
// where the dead man's switch is pinged and where alerts are sent. Validated here, so the CLI, the console's settings
// and the scheduler refuse the same bad input with the same words.
import { z } from "zod";
import { SecretRef } from "../secret-ref.ts";
import { isTimeZone, scheduleProblem } from "./schedule-expression.ts";

/**
 * The jobs a schedule can run: a backup, a deep verify of the latest backup, the weekly Neon test, the DR drill, and
 * the decrypt drill (the escrow identity alone opens the newest and the oldest backup).
 */
export const JOB_KINDS = ["backup", "verify", "neon-test", "drill", "decrypt-drill"] as const;
export const JobKind = z.enum(JOB_KINDS);
export type JobKind = z.infer<typeof JobKind>;

export const JOB_LABELS: Record<JobKind, string> = {
  backup: "backup",
  verify: "deep verify of the latest backup",
  "neon-test": "weekly Neon backup test",
  drill: "DR drill (full restore of the latest backup, every count proven)",
  "decrypt-drill": "decrypt drill (the escrow key alone opens the newest and the oldest backup)",
};

export const ScheduleExpression = z.string().superRefine((text, ctx) => {
  const problem = scheduleProblem(text);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const JobScheduleObject = z
  .object({
    /** "daily at 02:00", "every 6 hours", "weekly on sunday at 03:00", or five-field cron. */
    at: ScheduleExpression,
    /** A healthchecks.io-style ping URL (…/start, …/<exit code> are appended), as a secret reference. */
    heartbeat: SecretRef.optional(),
  })
  .strict();

/** A job's schedule: the object form, or just its "at" string. */
export const JobSchedule = z.preprocess((v) => (typeof v === "string" ? { at: v } : v), JobScheduleObject);
export type JobSchedule = z.infer<typeof JobScheduleObject>;

export const RetryPolicy = z
  .object({
    /** Tries per run, the first included. */
    attempts: z.number().int().min(1).max(10).default(3),
    /** Wait before the second try; doubled before each further one. */
    backoffMinutes: z.number().positive().max(240).default(5),
    /** No try starts later than this after the run began (capped at the job's own interval). */
    windowMinutes: z.number().positive().max(10080).default(120),
  })
  .strict();
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const ScheduleConfig = z
  .object({
    /** IANA zone the times are in; default the zone of the machine that runs the job. */
    timezone: z
      .string()
      .refine(isTimeZone, 'is not a time zone this system knows (an IANA name such as "Europe/Berlin" or "UTC")')
      .optional(),
    backup: JobSchedule.optional(),
    verify: JobSchedule.optional(),
    "neon-test": JobSchedule.optional(),
    drill: JobSchedule.optional(),
    "decrypt-drill": JobSchedule.optional(),
    retry: RetryPolicy.prefault({}),
  })
  .strict();
export type ScheduleConfig = z.infer<typeof ScheduleConfig>;

export const MonitoringConfig = z
  .object({
    /** An incoming-webhook URL (Slack, Teams, or anything that takes a JSON POST), as a secret reference. */
    webhook: SecretRef.optional(),
    /** The store may hold this many bytes of this profile's backups; warned at quotaWarnPercent. */
    quotaBytes: z.number().int().positive().optional(),
    quotaWarnPercent: z.number().min(1).max(100).default(80),
    /** Backup age (and age of the last proven restore) against the job's cadence: WARNING above this many cadences. */
    warnAfterCadences: z.number().min(1).max(10).default(1.5),
    /** CRITICAL above this many. */
    criticalAfterCadences: z.number().min(1).max(20).default(2),
  })
  .strict()
  .refine((m) => m.criticalAfterCadences >= m.warnAfterCadences, {
    message: "criticalAfterCadences must be at least warnAfterCadences",
    path: ["criticalAfterCadences"],
  });
export type MonitoringConfig = z.infer<typeof MonitoringConfig>;

/** The jobs a profile schedules, in JOB_KINDS order. */
export function scheduledJobs(schedule: ScheduleConfig | undefined): { job: JobKind; schedule: JobSchedule }[] {
  if (!schedule) return [];
  return JOB_KINDS.flatMap((job) => (schedule[job] ? [{ job, schedule: schedule[job] }] : []));
}
