// One profile's line on the dashboard. Each part (database, store, journal, Neon) is fetched in parallel with its own
// time limit, and a part that fails is shown as unreachable with why: an outage must never blank the dashboard.
import type { ProfileHealth } from "../../shared/api/channels/dashboard-channels.ts";
import type { NeonWindow } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import type { ErrorInfo } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { restoreTestRate, testOutcomes } from "../alerts/backup-tests.ts";
import { computeAlerts } from "../alerts/compute-alerts.ts";
import { listBackups } from "../backup/backup-catalog.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { connect, serverVersion } from "../postgres/connect.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import { withTimeout } from "../engine/with-timeout.ts";
import { lastKnown } from "./last-known.ts";
import { rowCountTrends } from "./row-counts.ts";

const SIZE_POINTS = 60;
const TEST_WINDOW_DAYS = 30;

export interface HealthDeps {
  resolveSecret: (ref: string) => Promise<string>;
  store: (p: Profile) => Promise<BackupStore>;
  journal: JournalReader;
  now: Date;
  timeoutMs: number;
  /** Neon's history window for a profile with a neon section; absent where Neon support is not wired. */
  neonWindow?: (p: Profile) => Promise<NeonWindow>;
}

type Settled<T> = { value: T; error?: undefined } | { value?: undefined; error: ErrorInfo };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ value }),
    (e: unknown) => ({ error: toErrorInfo(e) }),
  );

async function pingDatabase(profile: Profile, deps: HealthDeps): Promise<{ latencyMs: number; serverVersion: string }> {
  const conn = await resolveConn(profile.database, deps);
  const client = await connect(conn, { timeoutMs: deps.timeoutMs });
  try {
    const t0 = performance.now();
    await client.query("SELECT now()");
    const latencyMs = performance.now() - t0;
    return { latencyMs: Math.round(latencyMs * 100) / 100, serverVersion: (await serverVersion(client)).version };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function backupsOf(
  profile: Profile,
  deps: HealthDeps,
): Promise<{ description: string; backups: BackupManifest[] }> {
  const store = await deps.store(profile);
  return { description: store.description, backups: (await listBackups(store, profile.name)).backups };
}

async function testsOf(profile: Profile, journal: JournalReader) {
  const [deep, drills] = await Promise.all([
    journal.query({ profile: profile.name, kind: "verify.deep", newest: true, limit: 200 }),
    journal.query({ profile: profile.name, kind: "drill.", newest: true, limit: 200 }),
  ]);
  return testOutcomes([...deep.records, ...drills.records]);
}

export async function profileHealth(profile: Profile, deps: HealthDeps): Promise<ProfileHealth> {
  const t0 = performance.now();
  const limit = deps.timeoutMs;
  const [db, store, tests, neon] = await Promise.all([
    settle(
      withTimeout(
        pingDatabase(profile, deps),
        limit,
        "PG_UNREACHABLE",
        `The database ${profile.database.host}:${profile.database.port}`,
      ),
    ),
    settle(withTimeout(backupsOf(profile, deps), limit, "STORAGE_UNREACHABLE", "The backup store")),
    settle(testsOf(profile, deps.journal)),
    profile.neon && deps.neonWindow
      ? settle(withTimeout(deps.neonWindow(profile), limit, "NEON_UNREACHABLE", "The Neon API"))
      : undefined,
  ]);
  const outcomes = tests.value ?? [];
  const lastTest = outcomes.at(-1);
  const backups = store.value?.backups;
  const newest = backups?.[0];
  const now = deps.now;
  const rowCounts = backups ? rowCountTrends(profile, backups) : undefined;
  const neonDown = !!profile.neon && !neon?.value;
  const known = await lastKnown(deps.journal, profile.name, {
    storage: !!store.error,
    database: !!db.error,
    neon: neonDown,
  }).catch(() => ({}));
  const alerts = computeAlerts({
    profile,
    now,
    ...(backups ? { backups } : {}),
    ...(store.error ? { storageError: store.error } : {}),
    ...(db.error ? { databaseError: db.error } : {}),
    ...(lastTest ? { lastTest } : {}),
    ...(neon?.value ? { neonWindow: neon.value } : {}),
    ...(rowCounts ? { rowCounts } : {}),
  });
  return {
    profile: profile.name,
    database: {
      host: profile.database.host,
      name: profile.database.database,
      reachable: !db.error,
      ...(db.value ? { latencyMs: db.value.latencyMs, serverVersion: db.value.serverVersion } : { error: db.error }),
    },
    storage: {
      reachable: !store.error,
      ...(store.value ? { description: store.value.description } : { error: store.error }),
    },
    ...(profile.neon
      ? {
          neon: neon?.value
            ? { reachable: true, window: neon.value }
            : {
                reachable: false,
                error: neon?.error ?? {
                  code: "INTERNAL" as const,
                  message: "Neon status is not available in this build yet.",
                },
              },
        }
      : {}),
    ...(newest
      ? {
          lastBackup: {
            id: newest.id,
            finishedAt: newest.finishedAt,
            ageMinutes: Math.round((now.getTime() - Date.parse(newest.finishedAt)) / 60_000),
            bytes: newest.object.bytes,
          },
        }
      : {}),
    sizes: (backups ?? [])
      .slice(0, SIZE_POINTS)
      .reverse()
      .map((m) => ({
        id: m.id,
        finishedAt: m.finishedAt,
        bytes: m.object.bytes,
        dumpBytes: m.dumpBytes,
        databaseBytes: m.databaseBytes,
      })),
    ...(rowCounts ? { rowCounts } : {}),
    lastKnown: known,
    ...(lastTest ? { lastTest } : {}),
    restoreTests: restoreTestRate(outcomes, now, TEST_WINDOW_DAYS),
    targets: profile.targets,
    alerts,
    durationMs: Math.round(performance.now() - t0),
  };
}
