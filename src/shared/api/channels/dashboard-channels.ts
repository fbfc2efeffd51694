import { z } from "zod";
import { Alert } from "../../alert.ts";
import { ErrorInfo } from "../../errors.ts";
import { channel, ProfileName } from "../common-schemas.ts";
import { Targets } from "../../incident.ts";
import { NeonWindow } from "../neon-schemas.ts";

/** Something the dashboard could not reach is shown as unreachable, with why; it never fails the whole summary. */
const Reach = { reachable: z.boolean(), error: ErrorInfo.optional() };

/** A finished backup test (a Neon drill or a deep verify) as the journal recorded it. */
export const BackupTestOutcome = z.object({
  kind: z.string(),
  ts: z.string(),
  ok: z.boolean(),
  seq: z.number(),
  summary: z.string(),
});
export type BackupTestOutcome = z.infer<typeof BackupTestOutcome>;

/** Restore tests (drills and deep verifies) finished in the last `windowDays` days. rate is null when there were none. */
export const RestoreTestRate = z.object({
  total: z.number(),
  passed: z.number(),
  rate: z.number().nullable(),
  windowDays: z.number(),
});
export type RestoreTestRate = z.infer<typeof RestoreTestRate>;

const Seen = z.object({ at: z.string(), seq: z.number(), kind: z.string(), summary: z.string() });

/** What this machine's journal last saw of a part that cannot be reached now (only parts that are unreachable). */
export const LastKnown = z.object({
  backup: Seen.extend({ id: z.string().optional(), bytes: z.number().optional() }).optional(),
  database: Seen.optional(),
  neon: Seen.optional(),
});
export type LastKnown = z.infer<typeof LastKnown>;

/** One key table's exact row count in each backup (oldest first), and its change since the previous backup. */
export const RowCountTrend = z.object({
  table: z.string(),
  points: z.array(z.object({ id: z.string(), at: z.string(), rows: z.number() })),
  latest: z.number(),
  previous: z.number().optional(),
  changePercent: z.number().optional(),
  /** The newest backup has no such table. */
  missing: z.boolean().optional(),
  /** Fell by more than alerts.rowDropPercent (or went missing) since the previous backup. */
  dropped: z.boolean(),
});
export type RowCountTrend = z.infer<typeof RowCountTrend>;

export const ProfileHealth = z.object({
  profile: z.string(),
  database: z.object({
    ...Reach,
    latencyMs: z.number().optional(),
    serverVersion: z.string().optional(),
    host: z.string(),
    name: z.string(),
  }),
  storage: z.object({ ...Reach, description: z.string().optional() }),
  /** Absent when the profile has no neon section. */
  neon: z.object({ ...Reach, window: NeonWindow.optional() }).optional(),
  lastBackup: z
    .object({ id: z.string(), finishedAt: z.string(), ageMinutes: z.number(), bytes: z.number() })
    .optional(),
  /** Committed backups, oldest first (at most the last 60): the size chart. */
  sizes: z.array(
    z.object({
      id: z.string(),
      finishedAt: z.string(),
      bytes: z.number(),
      dumpBytes: z.number().optional(),
      databaseBytes: z.number(),
    }),
  ),
  /** Key tables' row counts over the backups; absent when the store could not be listed. */
  rowCounts: z.array(RowCountTrend).optional(),
  lastKnown: LastKnown,
  /** The last backup test: a Neon drill or a deep verify, from the journal. */
  lastTest: BackupTestOutcome.optional(),
  restoreTests: RestoreTestRate,
  targets: Targets,
  alerts: z.array(Alert),
  durationMs: z.number(),
});
export type ProfileHealth = z.infer<typeof ProfileHealth>;

export const dashboardChannels = {
  "dashboard.summary": channel({
    doc: "For each profile (all when none named): database reachable + SELECT now() latency, storage, Neon history window, last backup age, sizes over time, last backup test and restore-test success rate, open alerts. Profiles are checked in parallel; each part times out on its own.",
    request: z
      .object({
        profiles: z.array(ProfileName).max(50).optional(),
        timeoutMs: z.number().int().min(100).max(60000).optional(),
      })
      .strict(),
    result: z.object({ generatedAt: z.string(), profiles: z.array(ProfileHealth), durationMs: z.number() }),
  }),
  "alerts.list": channel({
    doc: "Open alerts for the profiles (all when none named), worst first. Same computation as the dashboard's.",
    request: z.object({ profiles: z.array(ProfileName).max(50).optional() }).strict(),
    result: z.object({ generatedAt: z.string(), alerts: z.array(Alert) }),
  }),
};
