// `lifeboat check` and the fleet view over many profiles (default 100; LIFEBOAT_BENCH_PROFILES), read from their stores
// on the local S3 server. Goals: check <= 1 s, fleet view <= 2 s. Every profile has a committed backup (a real one,
// copied under each profile's name) and a scheduled run's outcome, so each is read as in real life: one listing, the
// newest manifests, the job states, the journal, and (for check) a connection to its database.
// Same-run baseline: the reads alone (for each profile a listing and a GET of its newest manifest, 16 at a time).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiRouter } from "../../src/main/api/router.ts";
import { validateProfile } from "../../src/main/config/config-validate.ts";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import { profileStore } from "../../src/main/engine/profile-runtime.ts";
import { openJournal } from "../../src/main/journal/journal.ts";
import { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { PACKAGE_ROOT } from "../../src/main/package-root.ts";
import { startLocalS3 } from "../../src/main/sandbox/local-s3.ts";
import { createClinicalSchema, generateClinicalData } from "../../src/main/sample/clinical-sample.ts";
import { stateKeys } from "../../src/main/store-journal/state-keys.ts";
import { resolveSecret } from "../../src/main/secrets/resolve.ts";
import type { ProfileInput } from "../../src/shared/config.ts";

const PROFILES = Number(process.env.LIFEBOAT_BENCH_PROFILES ?? 100);
const RUNS = Number(process.env.LIFEBOAT_BENCH_REPEATS ?? 5);

const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchMonitoring(opts: { log?: (s: string) => void } = {}): Promise<Record<string, unknown>> {
  const log = opts.log ?? ((s: string) => console.log(s));
  const work = await mkdtemp(join(tmpdir(), "lifeboat-monitoring-bench-"));
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const cluster = await LocalCluster.create({ password });
  const s3 = await startLocalS3({ buckets: ["fleet"] });
  const journal = await openJournal({ dir: join(work, "journal") });
  try {
    await cluster.query("CREATE DATABASE clinic");
    await createClinicalSchema(cluster.conn("clinic"));
    await generateClinicalData(cluster.conn("clinic"), { scale: 0.2, seed: 3 });
    const { identity, recipient } = generateIdentity();
    const env = {
      ...process.env,
      BENCH_PG: password,
      BENCH_S3_KEY: s3.accessKeyId,
      BENCH_S3_SECRET: s3.secretAccessKey,
      BENCH_AGE: identity,
    };
    const profile = (name: string): ProfileInput => ({
      name,
      database: {
        host: "127.0.0.1",
        port: cluster.port,
        database: "clinic",
        user: cluster.conn("clinic").user,
        password: "env:BENCH_PG",
        sslmode: "disable",
      },
      storage: {
        kind: "s3",
        bucket: "fleet",
        prefix: "nightly",
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: "env:BENCH_S3_KEY",
        secretAccessKey: "env:BENCH_S3_SECRET",
      },
      encryption: { recipients: [recipient], identity: "env:BENCH_AGE" },
      schedule: { timezone: "UTC", backup: "daily at 02:00" },
    });
    const profiles = Array.from({ length: PROFILES }, (_, i) => profile(`clinic-${String(i).padStart(3, "0")}`));
    const configPath = join(work, "config.json");
    await writeFile(configPath, JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
    const router = createApiRouter({ configPath, journal, env, shell: "browser" });

    log(`one real scheduled backup, then copied under ${PROFILES} profiles' names…`);
    const first = await router.invoke("schedule.run", { profiles: [profiles[0]!.name], runner: "systemd" });
    if (!first.ok || first.value.exitCode !== 0) throw new Error(`the first backup failed: ${JSON.stringify(first)}`);
    const store = await profileStore(validateProfile(profiles[0]), { resolveSecret: (r) => resolveSecret(r, env) });
    const objects = await store.list(`${profiles[0]!.name}/`);
    const bodies = await Promise.all(objects.map(async (o) => ({ key: o.key, body: await store.getSmall(o.key) })));
    const state = (await store.getSmall(stateKeys.jobState(profiles[0]!.name, "backup"))).toString();
    for (const p of profiles.slice(1)) {
      for (const o of bodies) {
        const key = o.key.replace(`${profiles[0]!.name}/`, `${p.name}/`);
        const body = o.key.endsWith("manifest.json")
          ? o.body.toString().replaceAll(`"${profiles[0]!.name}`, `"${p.name}`)
          : o.body;
        await store.putSmall(key, body);
      }
      await store.putSmall(
        stateKeys.jobState(p.name, "backup"),
        state.replaceAll(`"${profiles[0]!.name}"`, `"${p.name}"`),
      );
    }

    // The floor: the same reads with nothing done with them.
    const floor: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      for (let i = 0; i < PROFILES; i += 16)
        await Promise.all(
          profiles.slice(i, i + 16).map(async (p) => {
            const list = await store.list(`${p.name}/`);
            await store.getSmall(list.find((o) => o.key.endsWith("manifest.json"))!.key);
          }),
        );
      floor.push(ms(t0));
    }

    const timed = async (channel: "monitoring.check" | "fleet.view", req: object): Promise<number> => {
      const t0 = performance.now();
      const r = await router.invoke(channel, req);
      const took = ms(t0);
      if (!r.ok) throw new Error(`${channel} failed: ${r.error.message}`);
      const missing = r.value.profiles.filter((p) => !p.lastBackup || !p.jobs.backup);
      if (r.value.profiles.length !== PROFILES || missing.length)
        throw new Error(`${channel} is incomplete: ${missing.map((p) => p.profile).join(", ")}`);
      return took;
    };
    const check: number[] = [];
    const checkStores: number[] = [];
    const fleet: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      check.push(await timed("monitoring.check", { neon: false }));
      checkStores.push(await timed("monitoring.check", { neon: false, database: false }));
      fleet.push(await timed("fleet.view", {}));
    }
    // The whole command as a monitoring server runs it: a new process, the CLI bundle, the check, the one line. Also
    // its CPU time (user + system, from GNU time): on a shared machine the wall time mostly measures the others.
    const cli: number[] = [];
    const cliCpu: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const t0 = performance.now();
      const argv = [join(PACKAGE_ROOT, "bin", "lifeboat.js"), "--config", configPath, "check", "--no-neon"];
      // Asynchronously: the S3 server answering it runs in this process.
      const out = await promisify(execFile)("/usr/bin/time", ["-f", "CPU_S=%U+%S", process.execPath, ...argv], {
        env: { ...env, LIFEBOAT_JOURNAL_DIR: join(work, "journal") },
        encoding: "utf8",
      }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? "", stderr: e.stderr ?? "" }));
      cli.push(ms(t0));
      if (!/^LIFEBOAT (OK|WARNING|CRITICAL) - /.test(out.stdout))
        throw new Error(`lifeboat check printed: ${out.stdout}${out.stderr}`);
      const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(out.stderr);
      if (cpu) cliCpu.push(Math.round((Number(cpu[1]) + Number(cpu[2])) * 1000));
    }
    const out = {
      profiles: PROFILES,
      repeats: RUNS,
      check_median_ms: median(check),
      check_max_ms: Math.max(...check),
      check_without_database_median_ms: median(checkStores),
      check_cli_process_median_ms: median(cli),
      ...(cliCpu.length ? { check_cli_process_cpu_median_ms: median(cliCpu) } : {}),
      fleet_view_median_ms: median(fleet),
      fleet_view_max_ms: Math.max(...fleet),
      baseline_reads_only_median_ms: median(floor),
      check_vs_reads_only: Math.round((median(check) / median(floor)) * 100) / 100,
      goal_check_ms: 1000,
      goal_fleet_ms: 2000,
      goal_check_met: median(check) <= 1000,
      goal_fleet_met: median(fleet) <= 2000,
    };
    log(
      `${PROFILES} profiles: check median ${out.check_median_ms} ms (the whole CLI process ${out.check_cli_process_median_ms} ms, ` +
        `${out.check_cli_process_cpu_median_ms ?? "?"} ms of CPU), ` +
        `fleet view median ${out.fleet_view_median_ms} ms; the reads alone ${out.baseline_reads_only_median_ms} ms`,
    );
    return out;
  } finally {
    await journal.close().catch(() => undefined);
    await s3.stop().catch(() => undefined);
    await cluster.destroy().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("monitoring-bench.ts")) {
  console.log(JSON.stringify(await benchMonitoring(), null, 2));
}
