// Gathers what is known about each profile, every part in parallel and under its own time limit, and judges it
// (check-rules.ts). A part that cannot be reached is reported as such; it never blanks the rest.
import type { Profile } from "../../shared/config.ts";
import type { ErrorInfo } from "../../shared/errors.ts";
import type { ProfileFacts } from "../../shared/monitoring/monitoring-schemas.ts";
import { testOutcomes } from "../alerts/backup-tests.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import { withTimeout } from "../engine/with-timeout.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { connect } from "../postgres/connect.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { judge, type RawFacts, type TestOutcome } from "./check-rules.ts";
import { storeFacts, type StoreFacts } from "./store-facts.ts";

export interface FactsOptions {
  ctx: Pick<EngineContext, "resolveSecret" | "signal">;
  store: (p: Profile) => Promise<BackupStore>;
  /** This machine's journal: tests run here by hand count too. */
  journal?: Pick<JournalReader, "query">;
  now: Date;
  timeoutMs: number;
  /** Also connect to each database (`SELECT 1`). */
  database: boolean;
  /** Also ask Neon about profiles with a neon section. */
  neon: boolean;
  /** How many profiles are looked at at once. */
  concurrency?: number;
}

const JOB_TEST_KIND = {
  verify: "verify.deep",
  drill: "drill.restore",
  "neon-test": "drill.neon",
  "decrypt-drill": "keys.drill",
} as const;

function storeTests(s: StoreFacts | undefined): TestOutcome[] {
  return Object.values(s?.jobs ?? {}).flatMap((r) =>
    r && r.job !== "backup" && r.finishedAt
      ? [
          {
            kind: JOB_TEST_KIND[r.job],
            at: r.finishedAt,
            ok: r.status === "ok" && r.result?.pass !== false,
            host: r.machine.host,
            ...(r.result?.backupId ? { backupId: r.result.backupId } : {}),
          },
        ]
      : [],
  );
}

async function journalTests(
  journal: Pick<JournalReader, "query"> | undefined,
  profile: string,
): Promise<TestOutcome[]> {
  if (!journal) return [];
  const [deep, drills] = await Promise.all([
    journal.query({ profile, kind: "verify.deep", newest: true, limit: 20 }),
    journal.query({ profile, kind: "drill.", newest: true, limit: 20 }),
  ]);
  return testOutcomes([...deep.records, ...drills.records]).map((o) => ({
    kind: o.kind,
    at: o.ts,
    ok: o.ok,
    seq: o.seq,
    summary: o.summary,
  }));
}

async function ping(profile: Profile, o: FactsOptions): Promise<NonNullable<RawFacts["database"]>> {
  try {
    const client = await connect(await resolveConn(profile.database, o.ctx), { timeoutMs: o.timeoutMs });
    try {
      const t0 = performance.now();
      await client.query("SELECT 1");
      return { reachable: true, latencyMs: Math.round((performance.now() - t0) * 100) / 100 };
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (e) {
    return { reachable: false, error: toErrorInfo(e) };
  }
}

export async function profileFacts(profile: Profile, o: FactsOptions): Promise<ProfileFacts> {
  const limit = (p: Promise<unknown>, code: Parameters<typeof withTimeout>[2], what: string) =>
    withTimeout(p, o.timeoutMs, code, what);
  const [store, tests, database, neon] = await Promise.all([
    (
      limit(
        o.store(profile).then((s) => storeFacts(s, profile)),
        "STORAGE_UNREACHABLE",
        "The backup store",
      ) as Promise<StoreFacts>
    ).then(
      (value) => ({ value }),
      (e: unknown) => ({ error: toErrorInfo(e) as ErrorInfo }),
    ),
    journalTests(o.journal, profile.name).catch(() => [] as TestOutcome[]),
    o.database ? ping(profile, o) : undefined,
    o.neon && profile.neon
      ? (
          limit(
            // Neon's API client (axios and its MIME tables) is loaded only for profiles on Neon.
            import("./neon-facts.ts").then(({ neonFacts }) => neonFacts(profile, o.ctx, o.now)),
            "NEON_UNREACHABLE",
            "The Neon API",
          ) as Promise<RawFacts["neon"]>
        ).catch((e: unknown) => ({ reachable: false, error: toErrorInfo(e) }))
      : undefined,
  ]);
  const raw: RawFacts = {
    ...("value" in store ? { store: store.value } : { storeError: store.error }),
    tests: [...tests, ...storeTests("value" in store ? store.value : undefined)],
    ...(database ? { database } : {}),
    ...(neon ? { neon } : {}),
  };
  return { profile: profile.name, ...judge(profile, raw, o.now) };
}

/** Every profile, a few at a time (each opens connections), in the given order. */
export async function fleetFacts(profiles: Profile[], given: FactsOptions): Promise<ProfileFacts[]> {
  // Profiles usually share a bucket: one client per distinct storage section, not one per profile (building an S3
  // client and resolving its credentials costs more than the requests it then makes).
  const stores = new Map<string, Promise<BackupStore>>();
  const o: FactsOptions = {
    ...given,
    store: (p) => {
      const key = JSON.stringify(p.storage);
      let s = stores.get(key);
      if (!s) {
        s = given.store(p);
        s.catch(() => stores.delete(key));
        stores.set(key, s);
      }
      return s;
    },
  };
  const out: ProfileFacts[] = new Array(profiles.length);
  let next = 0;
  const worker = async () => {
    while (next < profiles.length) {
      const i = next++;
      out[i] = await profileFacts(profiles[i]!, o);
    }
  };
  // Database connections are the scarce resource; without them, more profiles can be read at once.
  const width = o.concurrency ?? (o.database ? 16 : 32);
  await Promise.all(Array.from({ length: Math.min(width, profiles.length) }, worker));
  return out;
}
