// What `lifeboat check`, the metrics and the console's fleet view know about a profile, read from its store (backups,
// run outcomes), this machine's journal (tests run by hand), the database and Neon. One shape for all three faces.
import { z } from "zod";
import { Alert } from "../alert.ts";
import { ErrorInfo } from "../errors.ts";
import { JobKind } from "../schedule/schedule-config.ts";
import { RunOutcome } from "../schedule/run-outcome.ts";

/** The monitoring-plugin convention (Nagios, Icinga, Barman's check --nagios): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export const NAGIOS_STATES = ["OK", "WARNING", "CRITICAL", "UNKNOWN"] as const;
export const NagiosState = z.enum(NAGIOS_STATES);
export type NagiosState = z.infer<typeof NagiosState>;
export const nagiosCode = (s: NagiosState): number => NAGIOS_STATES.indexOf(s);

/** One thing `check` looked at and what it found. */
export const CheckFinding = z.object({
  item: z.string(),
  state: NagiosState,
  detail: z.string(),
});
export type CheckFinding = z.infer<typeof CheckFinding>;

/** A job's last scheduled run, as the fleet view shows it. */
export const LastRun = RunOutcome.pick({
  runId: true,
  job: true,
  status: true,
  machine: true,
  scheduledFor: true,
  startedAt: true,
  finishedAt: true,
  attempts: true,
  result: true,
  error: true,
  overran: true,
});
export type LastRun = z.infer<typeof LastRun>;

export const ProfileFacts = z.object({
  profile: z.string(),
  store: z.object({
    description: z.string().optional(),
    reachable: z.boolean(),
    error: ErrorInfo.optional(),
    /** Bytes of this profile's backups in the store. */
    bytes: z.number().optional(),
    quotaBytes: z.number().optional(),
  }),
  lastBackup: z
    .object({
      id: z.string(),
      finishedAt: z.string(),
      bytes: z.number(),
      tables: z.number(),
      rows: z.number(),
      durationMs: z.number(),
      databaseBytes: z.number(),
    })
    .optional(),
  backupCount: z.number().optional(),
  /** The last scheduled run of each job, from the store: which machine ran what. */
  jobs: z.partialRecord(JobKind, LastRun),
  /** The newest backup test (deep verify, DR drill, Neon test), passed or not. */
  lastTest: z.object({ kind: z.string(), at: z.string(), ok: z.boolean(), host: z.string().optional() }).optional(),
  /** The newest deep verify or drill that PASSED: a restore proven, not just a backup made. */
  lastProvenRestore: z
    .object({ kind: z.string(), at: z.string(), host: z.string().optional(), backupId: z.string().optional() })
    .optional(),
  database: z
    .object({ reachable: z.boolean(), latencyMs: z.number().optional(), error: ErrorInfo.optional() })
    .optional(),
  neon: z
    .object({
      reachable: z.boolean(),
      error: ErrorInfo.optional(),
      branch: z.string().optional(),
      protected: z.boolean().optional(),
      /** null: Neon did not say (the endpoint is missing or in beta on this project). */
      snapshotSchedule: z.array(z.string()).nullable().optional(),
      retentionSeconds: z.number().optional(),
      requiredSeconds: z.number().optional(),
    })
    .optional(),
  alerts: z.array(Alert),
  findings: z.array(CheckFinding),
  state: NagiosState,
});
export type ProfileFacts = z.infer<typeof ProfileFacts>;

export const CheckResult = z.object({
  state: NagiosState,
  /** The exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  code: z.number(),
  /** One line, Nagios plugin output: "LIFEBOAT STATE - summary | perfdata". */
  line: z.string(),
  generatedAt: z.string(),
  profiles: z.array(ProfileFacts),
  durationMs: z.number(),
});
export type CheckResult = z.infer<typeof CheckResult>;
