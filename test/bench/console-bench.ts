// The console's dashboard refresh: dashboard.summary for 10 profiles (goal <= 500 ms), through the same router the
// shells use. The profiles share one local PostgreSQL cluster and one local S3 server, each with its own database and
// store prefix and one committed backup, so a refresh does per profile what it does in real life: resolve secrets,
// connect and time SELECT now(), list the store and read the manifests, query the journal, compute alerts.
// Same-run baselines: 10 sequential SELECT now()s on fresh connections (what a naive, one-by-one refresh costs) and on
// one open connection (the round trip alone).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiRouter } from "../../src/main/api/router.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { openJournal } from "../../src/main/journal/journal.ts";
import { connect } from "../../src/main/postgres/connect.ts";
import { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { startLocalS3 } from "../../src/main/sandbox/local-s3.ts";
import type { ProfileInput } from "../../src/shared/config.ts";

const PROFILES = 10;
const RUNS = 15;

const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;
const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export async function benchDashboardRefresh(
  opts: { log?: (s: string) => void } = {},
): Promise<Record<string, number | string | boolean>> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const work = await mkdtemp(join(tmpdir(), "lifeboat-console-bench-"));
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const cluster = await LocalCluster.create({ password });
  const s3 = await startLocalS3({ buckets: ["bench"] });
  const journal = await openJournal({ dir: join(work, "journal") });
  try {
    const { identity, recipient } = generateIdentity();
    const env = {
      ...process.env,
      BENCH_PG_PASSWORD: password,
      BENCH_S3_KEY: s3.accessKeyId,
      BENCH_S3_SECRET: s3.secretAccessKey,
      BENCH_AGE: identity,
    };
    const profiles: ProfileInput[] = [];
    for (let i = 0; i < PROFILES; i++) {
      const db = `clinic_${i}`;
      await cluster.query(`CREATE DATABASE ${db}`);
      const conn = cluster.conn(db);
      const c = await connect(conn);
      await c.query(
        `CREATE TABLE "Patient"(id serial PRIMARY KEY, name text); INSERT INTO "Patient"(name) SELECT 'p' || g FROM generate_series(1, ${100 + i * 10}) g`,
      );
      await c.end();
      profiles.push({
        name: `clinic-${i}`,
        database: {
          host: "127.0.0.1",
          port: cluster.port,
          database: db,
          user: conn.user,
          password: "env:BENCH_PG_PASSWORD",
          sslmode: "disable",
        },
        storage: {
          kind: "s3",
          bucket: "bench",
          prefix: `p${i}`,
          endpoint: s3.endpoint,
          forcePathStyle: true,
          accessKeyId: "env:BENCH_S3_KEY",
          secretAccessKey: "env:BENCH_S3_SECRET",
        },
        encryption: { recipients: [recipient], identity: "env:BENCH_AGE" },
      });
    }
    const configPath = join(work, "config.json");
    await writeFile(configPath, JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
    const router = createApiRouter({ configPath, journal, env, shell: "browser" });
    log(`backing up ${PROFILES} small databases so every profile has a manifest…`);
    for (const p of profiles) {
      const r = await router.invoke("backups.run", { profile: p.name });
      if (!r.ok) throw new Error(`backup of ${p.name} failed: ${r.error.message}`);
    }

    const baselineFresh = performance.now();
    for (let i = 0; i < PROFILES; i++) {
      const c = await connect(cluster.conn(`clinic_${i}`));
      await c.query("SELECT now()");
      await c.end();
    }
    const freshMs = ms(baselineFresh);
    const one = await connect(cluster.conn("clinic_0"));
    const baselineOne = performance.now();
    for (let i = 0; i < PROFILES; i++) await one.query("SELECT now()");
    const oneMs = ms(baselineOne);
    await one.end();

    const refresh = async (): Promise<number> => {
      const t0 = performance.now();
      const r = await router.invoke("dashboard.summary", {});
      const took = ms(t0);
      if (!r.ok) throw new Error(`dashboard.summary failed: ${r.error.message}`);
      const down = r.value.profiles.filter((p) => !p.database.reachable || !p.storage.reachable || !p.lastBackup);
      if (r.value.profiles.length !== PROFILES || down.length)
        throw new Error(`the summary is incomplete: ${JSON.stringify(down.map((p) => p.profile))}`);
      return took;
    };
    const coldMs = await refresh();
    const warm: number[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await refresh());
    const median = pct(warm, 50);
    const out = {
      profiles: PROFILES,
      refresh_cold_ms: coldMs,
      refresh_median_ms: median,
      refresh_p95_ms: pct(warm, 95),
      refresh_max_ms: Math.max(...warm),
      baseline_10_select_now_fresh_connections_ms: freshMs,
      baseline_10_select_now_one_connection_ms: oneMs,
      refresh_vs_sequential_fresh_connections: Math.round((median / freshMs) * 100) / 100,
      goal_ms: 500,
      goal_met: median <= 500 && coldMs <= 500,
    };
    log(
      `dashboard.summary for ${PROFILES} profiles: cold ${coldMs} ms, warm median ${median} ms (p95 ${out.refresh_p95_ms} ms); ` +
        `baseline: 10 sequential SELECT now() on fresh connections ${freshMs} ms, on one connection ${oneMs} ms; goal <= 500 ms: ${out.goal_met ? "met" : "NOT met"}`,
    );
    return out;
  } finally {
    await journal.close().catch(() => undefined);
    await s3.stop().catch(() => undefined);
    await cluster.destroy().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("console-bench.ts")) {
  console.log(JSON.stringify(await benchDashboardRefresh(), null, 2));
}
