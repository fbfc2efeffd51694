// What a scheduled run leaves in the store beside the backups (one object per run, and the latest per job): enough
// for any laptop, and the console's fleet view, to see what ran where, when, and how it ended, with the journal
// records it made.
import { z } from "zod";
import { ErrorInfo } from "../errors.ts";
import { JobKind } from "./schedule-config.ts";

export const RUN_FORMAT = "lifeboat-run/1";

export const PhaseTiming = z.object({ name: z.string(), durationMs: z.number() });
export type PhaseTiming = z.infer<typeof PhaseTiming>;

/** The DR drill: the latest backup restored into a scratch database, every count proven, each phase timed. */
export const RestoreDrillResult = z.object({
  pass: z.boolean(),
  backupId: z.string(),
  backupFinishedAt: z.string(),
  scratch: z.enum(["local-cluster", "profile-scratch"]),
  database: z.string(),
  tables: z.number(),
  rows: z.number(),
  phases: z.array(PhaseTiming),
  /** From the start of the restore to every count proven: the time a real recovery from this store would take. */
  rtoMs: z.number(),
  durationMs: z.number(),
});
export type RestoreDrillResult = z.infer<typeof RestoreDrillResult>;

/** The few figures of a job's result that the fleet view, `check` and the metrics need. */
export const JobResultSummary = z.object({
  backupId: z.string().optional(),
  bytes: z.number().optional(),
  tables: z.number().optional(),
  rows: z.number().optional(),
  pass: z.boolean().optional(),
  phases: z.array(PhaseTiming).optional(),
  rtoMs: z.number().optional(),
  durationMs: z.number(),
});
export type JobResultSummary = z.infer<typeof JobResultSummary>;

export const RunAttempt = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  ok: z.boolean(),
  error: ErrorInfo.optional(),
});
export type RunAttempt = z.infer<typeof RunAttempt>;

export const RUN_STATUSES = ["running", "ok", "failed"] as const;

export const RunOutcome = z.object({
  format: z.literal(RUN_FORMAT),
  runId: z.string(),
  profile: z.string(),
  job: JobKind,
  /** Which machine ran it, as whom, started by what (systemd, launchd, windows, kubernetes, cli, console). */
  machine: z.object({ host: z.string(), user: z.string(), runner: z.string(), pid: z.number() }),
  /** The occurrence this run is for; earlier occurrences missed while the machine was off are `missed`. */
  scheduledFor: z.string(),
  missed: z.number(),
  trigger: z.enum(["schedule", "catch-up", "manual"]),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** "running" while it runs: another machine that sees it (with a lease not yet over) does not start the job too. */
  status: z.enum(RUN_STATUSES),
  leaseUntil: z.string(),
  attempts: z.array(RunAttempt),
  result: JobResultSummary.optional(),
  error: ErrorInfo.optional(),
  exitCode: z.number().optional(),
  /** Bytes of this profile's backups in the store after the run: the store's size over time. */
  storeBytes: z.number().optional(),
  /** It ended after the job's next occurrence had already come. */
  overran: z.boolean().optional(),
  /** The journal records the run made, copied into the store (hash chain intact). */
  journal: z
    .object({
      journalId: z.string(),
      key: z.string(),
      firstSeq: z.number(),
      lastSeq: z.number(),
      records: z.number(),
      lastHash: z.string(),
    })
    .optional(),
});
export type RunOutcome = z.infer<typeof RunOutcome>;
