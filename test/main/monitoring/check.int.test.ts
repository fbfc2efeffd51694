// `lifeboat check` against real PostgreSQL and the S3 server: the exit code for each of the seed's alerts (no recent
// backup: CRITICAL; a backup test failed: HIGH, so CRITICAL; the size dropped by more than half: MEDIUM, so WARNING;
// the database unreachable: CRITICAL), backup age judged against the profile's own cadence, the last proven restore
// as a state of its own, the quota, and the metrics parsed back with a Prometheus text parser.
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { runCheck } from "../../../src/main/monitoring/check.ts";
import { renderMetrics, serveMetrics, writeTextfile } from "../../../src/main/monitoring/metrics.ts";
import type { FactsOptions } from "../../../src/main/monitoring/profile-facts.ts";
import { runDue } from "../../../src/main/schedule/run-due.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { startScheduleEnv, type ScheduleEnv } from "../../harness/schedule-env.ts";

let w: ScheduleEnv;
before(async () => {
  w = await startScheduleEnv("2026-03-10T02:05:00Z");
});
after(async () => w?.stop());

const opts = (now: string, over: Partial<FactsOptions> = {}): FactsOptions => {
  const d = w.deps();
  return {
    ctx: d.engine,
    store: d.store,
    journal: w.journal,
    now: new Date(now),
    timeoutMs: 5000,
    database: true,
    neon: false,
    ...over,
  };
};

const check = async (p: Profile, now: string, over: Partial<FactsOptions> = {}) => {
  const r = await runCheck([p], opts(now, over));
  return { code: r.code, line: r.line, facts: r.profiles[0]! };
};

describe("lifeboat check", () => {
  test("OK only when the backup is on time AND a restore was proven; each seed alert has its exit code", async () => {
    const p = w.profile("seed", {
      schedule: { timezone: "UTC", backup: "daily at 02:00", verify: "weekly on sunday at 03:00" },
    });
    w.clock.set("2026-03-10T02:05:00Z");
    assert.equal((await runDue([p], w.deps())).exitCode, 0);
    // Backups carry the real time they were made; the checks are run at times relative to it.
    const first = await check(p, new Date().toISOString());
    const made = Date.parse(first.facts.lastBackup!.finishedAt);
    const at = (min: number) => new Date(made + min * 60_000).toISOString();
    const ok = await check(p, at(7 * 60));
    assert.equal(ok.code, 0, ok.line);
    assert.match(
      ok.line,
      /^LIFEBOAT OK - 1 profile: backups and proven restores on time \* seed \| 'seed_backup_age'=25200s/,
    );
    assert.equal(ok.line.split("\n").length, 1);
    assert.equal(ok.facts.lastProvenRestore?.kind, "verify.deep");

    // Backup age against its own cadence: daily, so WARNING past 1.5 days, CRITICAL past 2.
    const late = await check(p, at(37 * 60));
    assert.equal(late.code, 1, late.line);
    assert.match(late.line, /backup age: last backup \S+ 1 d 13 h old; warning after 1 d 12 h, critical after 2 d/);
    assert.equal((await check(p, at(49 * 60))).code, 2);

    // Seed: "No backup in >15 minutes → CRITICAL" (no schedule; maxBackupAgeMinutes is the critical age).
    const strict = w.profile("seed", { alerts: { maxBackupAgeMinutes: 15 } });
    assert.equal((await check(strict, at(5))).code, 0);
    const stale = await check(strict, at(16));
    assert.equal(stale.code, 2);
    assert.match(stale.line, /^LIFEBOAT CRITICAL - 1 of 1 profiles has issues \* seed CRITICAL: backup age/);

    // Seed: "Backup test failed → HIGH": the newest test failed, so CRITICAL.
    await w.journal.append({
      kind: "verify.deep",
      summary: "Deep verify of backup x (profile seed)",
      profile: "seed",
      outcome: "failed",
      details: { error: { code: "ROWCOUNT_MISMATCH", message: "counts differ" } },
    });
    const failedTest = await check(p, at(60));
    assert.equal(failedTest.code, 2, failedTest.line);
    assert.match(failedTest.line, /backup test: Deep verify/);
    assert.equal(
      failedTest.facts.lastProvenRestore?.kind,
      "verify.deep",
      "the older passing verify still counts as proof",
    );

    // Seed escalation: "DB connectivity loss" → CRITICAL.
    const down = w.profile("seed", { ...p, database: { ...p.database, port: 1 } } as never);
    const lost = await check(down, at(60));
    assert.equal(lost.code, 2);
    assert.match(lost.line, /database: The database of seed cannot be reached/);
  });

  test("seed: a backup more than half smaller than the one before is a WARNING (possible data loss)", async () => {
    await w.cluster.query("CREATE DATABASE shrink");
    const conn = w.cluster.conn("shrink");
    const pg = await import("pg");
    const c = new pg.default.Client({ ...conn, password: "sched-pw-41c2" });
    await c.connect();
    await c.query("CREATE TABLE notes (id int primary key, body text)");
    await c.query(
      "INSERT INTO notes SELECT g, md5(g::text) || repeat(md5((g*7)::text), 12) FROM generate_series(1, 4000) g",
    );
    const base = w.profile("shrink", { schedule: { timezone: "UTC", backup: "every 1 hours" } });
    const p = w.profile("shrink", { ...base, database: { ...base.database, database: "shrink" } } as never);
    w.clock.set("2026-03-10T02:05:00Z");
    assert.equal((await runDue([p], w.deps())).exitCode, 0);
    await c.query("DELETE FROM notes WHERE id > 1000");
    await c.end();
    w.clock.set("2026-03-10T03:05:00Z");
    assert.equal((await runDue([p], w.deps())).exitCode, 0);
    const r = await check(p, "2026-03-10T03:10:00Z", { database: false });
    const size = r.facts.alerts.find((a) => a.rule === "backup-size-drop");
    assert.ok(size, `${r.line} ${JSON.stringify(r.facts.lastBackup)} ${r.facts.backupCount}`);
    assert.equal(size.severity, "MEDIUM");
    assert.match(r.line, /backup size: Backup \S+ is \d+% smaller/);
    // The size drop is a WARNING; no proven restore yet is too, and nothing here is CRITICAL.
    assert.equal(r.code, 1, r.line);
  });

  test("the store's capacity against the quota: WARNING at the warn percentage, CRITICAL over it", async () => {
    const p = w.profile("seed", { schedule: { timezone: "UTC", backup: "daily at 02:00" } });
    const used = (await check(p, "2026-03-10T09:00:00Z")).facts.store.bytes!;
    const near = w.profile("seed", {
      ...p,
      monitoring: { quotaBytes: Math.ceil(used / 0.9), quotaWarnPercent: 80 },
    } as never);
    const r1 = await check(near, "2026-03-10T09:00:00Z", { database: false });
    assert.ok(
      r1.facts.alerts.some((a) => a.rule === "store-quota" && a.severity === "MEDIUM"),
      r1.line,
    );
    const over = w.profile("seed", { ...p, monitoring: { quotaBytes: Math.floor(used / 2) } } as never);
    const r2 = await check(over, "2026-03-10T09:00:00Z", { database: false });
    assert.equal(r2.code, 2);
    assert.match(r2.line, /store quota: .* \(200\.\d%\)|store quota: .* \(\d+\.\d%\)/);
  });

  test("nothing to check is UNKNOWN (3)", async () => {
    const r = await runCheck([], opts("2026-03-10T09:00:00Z"));
    assert.equal(r.code, 3);
    assert.equal(r.line, "LIFEBOAT UNKNOWN - no profiles to check");
  });

  test("metrics: parsed back by a Prometheus text parser, written atomically, served on a port", async () => {
    const p = w.profile("seed", { schedule: { timezone: "UTC", backup: "daily at 02:00", drill: "quarterly" } });
    await runDue([p], w.deps(), { job: "drill", force: true });
    const r = await runCheck([p], opts("2026-03-10T09:00:00Z"));
    const m = await renderMetrics(r.profiles, new Date("2026-03-10T09:00:00Z"));
    const families = parsePrometheusTextFormat(m.text);
    const get = (name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === name)
        ?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
    assert.equal(
      Number(get("lifeboat_backup_last_success_timestamp_seconds", { profile: "seed" })!.value),
      Date.parse(r.profiles[0]!.lastBackup!.finishedAt) / 1000,
    );
    assert.equal(get("lifeboat_check_status", { profile: "seed" })!.value, String(r.code));
    assert.equal(get("lifeboat_job_last_success", { profile: "seed", job: "drill" })!.value, "1");
    assert.ok(Number(get("lifeboat_drill_phase_seconds", { profile: "seed", phase: "restore" })!.value) > 0);
    assert.ok(Number(get("lifeboat_store_used_bytes", { profile: "seed" })!.value) > 0);

    const file = join(w.dir, "textfile", "lifeboat.prom");
    await mkdir(dirname(file), { mode: 0o755 }); // node_exporter's folder exists; Lifeboat never makes it
    await writeTextfile(file, m.text);
    assert.equal(await readFile(file, "utf8"), m.text);

    const served = await serveMetrics(async () => m, { port: 0 });
    try {
      const res = await fetch(served.url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type")!, /text\/plain; version=0\.0\.4/);
      assert.equal(await res.text(), m.text);
      assert.equal((await fetch(served.url.replace("/metrics", "/other"))).status, 404);
    } finally {
      await served.close();
    }
  });
});
