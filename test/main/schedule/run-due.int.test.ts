// The due-job runner against real PostgreSQL and the S3 server, with a clock the test moves: it runs what is due and
// nothing else, catches up once after a gap, refuses a second run of the same job, takes over the lock of a killed
// run, retries within its window and then alerts, and keeps going when the heartbeat service is down.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { hostname } from "node:os";
import { after, before, describe, test } from "node:test";
import { listBackups } from "../../../src/main/backup/backup-catalog.ts";
import { profileStore } from "../../../src/main/engine/profile-runtime.ts";
import { lockPath, tryJobLock } from "../../../src/main/schedule/job-lock.ts";
import { runDue } from "../../../src/main/schedule/run-due.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { stateKeys } from "../../../src/main/store-journal/state-keys.ts";
import { verifyStoreJournal } from "../../../src/main/store-journal/verify-store-journal.ts";
import { RunOutcome } from "../../../src/shared/schedule/run-outcome.ts";
import { closedUrl, startReceiver, type HttpReceiver } from "../../harness/http-receiver.ts";
import { startScheduleEnv, type ScheduleEnv } from "../../harness/schedule-env.ts";

let w: ScheduleEnv;
let hooks: HttpReceiver;

before(async () => {
  w = await startScheduleEnv("2026-03-10T02:05:00Z"); // a Tuesday
  hooks = await startReceiver();
});
after(async () => {
  await hooks?.stop();
  await w?.stop();
});

const store = (p: Parameters<typeof profileStore>[0]) =>
  profileStore(p, { resolveSecret: (r) => resolveSecret(r, w.env) });

describe("the due-job runner", () => {
  test("runs what is due, skips what is not, and catches up once after a gap", async () => {
    const p = w.profile("daily", {
      schedule: { timezone: "UTC", backup: "daily at 02:00", verify: "weekly on sunday at 03:00" },
    });
    w.clock.set("2026-03-10T02:05:00Z");
    const first = await runDue([p], w.deps());
    assert.equal(first.exitCode, 0, JSON.stringify(first.runs.map((r) => r.error)));
    assert.deepEqual(
      first.runs.map((r) => [r.job, r.status, r.trigger]),
      [
        ["backup", "ok", "schedule"],
        ["verify", "ok", "catch-up"],
      ],
    );
    const s = await store(p);
    const backups = (await listBackups(s, "daily")).backups;
    assert.equal(backups.length, 1);
    assert.equal(first.runs[0]!.result!.backupId, backups[0]!.id);
    assert.equal(first.runs[1]!.result!.backupId, backups[0]!.id, "the verify tested the backup made just before");
    // The outcome is beside the backups, with the journal records it made, chain intact.
    const state = RunOutcome.parse(JSON.parse((await s.getSmall(stateKeys.jobState("daily", "backup"))).toString()));
    assert.equal(state.runId, first.runs[0]!.runId);
    assert.equal(state.machine.host, hostname());
    assert.ok(state.storeBytes! >= backups[0]!.object.bytes);
    const chain = await verifyStoreJournal(s, "daily");
    assert.equal(chain.ok, true, JSON.stringify(chain.problems));
    assert.equal(chain.chunks, 2);
    const copied = (await s.getSmall(state.journal!.key)).toString();
    assert.match(copied, /"kind":"backup.run"/, "the backup's own records are in the run's chunk");
    assert.doesNotMatch(copied, /sched-pw-41c2/);

    // Later the same day: nothing is due.
    w.clock.set("2026-03-10T10:00:00Z");
    const idle = await runDue([p], w.deps());
    assert.deepEqual(idle.runs, []);
    assert.deepEqual(
      idle.plans.map((x) => [x.job, x.due]),
      [
        ["backup", false],
        ["verify", false],
      ],
    );
    assert.match(idle.plans[0]!.reason, /done for 2026-03-10T02:00:00.000Z/);

    // The machine was off from Tuesday to Friday morning: one backup, for Friday, with Wednesday's and Thursday's
    // folded into it; the weekly verify is not due before Sunday.
    w.clock.set("2026-03-13T09:00:00Z");
    const caught = await runDue([p], w.deps());
    assert.deepEqual(
      caught.runs.map((r) => [r.job, r.trigger, r.missed, r.scheduledFor]),
      [["backup", "catch-up", 2, "2026-03-13T02:00:00.000Z"]],
    );
    assert.equal((await listBackups(s, "daily")).backups.length, 2);
  });

  test("the DR drill restores the latest backup into a scratch cluster, proves every count, and times each phase", async () => {
    const p = w.profile("daily", {
      schedule: { timezone: "UTC", backup: "daily at 02:00", drill: "quarterly on day 1 at 04:00" },
    });
    const r = await runDue([p], w.deps(), { job: "drill", force: true });
    assert.equal(r.exitCode, 0, JSON.stringify(r.runs[0]?.error));
    const res = r.runs[0]!.result!;
    assert.equal(res.pass, true);
    const names = res.phases!.map((x) => x.name);
    for (const phase of ["locate", "scratch", "restore", "count", "cleanup"])
      assert.ok(names.includes(phase), names.join());
    assert.ok(res.rtoMs! > 0 && res.rows! > 0);
    const rec = await w.journal.query({ kind: "drill.restore", profile: "daily", outcome: "ok" });
    assert.equal(rec.records.at(-1)!.details.pass, true);
  });

  test("refuses a second run of a job that is running, and takes over the lock of a killed run", async () => {
    const p = w.profile("locked", { schedule: { timezone: "UTC", backup: "daily at 02:00" } });
    w.clock.set("2026-03-10T02:05:00Z");
    const held = await tryJobLock(
      w.stateDir,
      "locked",
      "backup",
      { runId: "other-run", startedAt: "2026-03-10T02:00:00Z", leaseUntil: "2026-03-11T02:00:00Z" },
      w.clock.now(),
    );
    assert.ok(held.acquired);
    const refused = await runDue([p], w.deps());
    assert.equal(refused.exitCode, 8);
    assert.equal(refused.refused[0]!.error.code, "JOB_RUNNING");
    assert.match(refused.refused[0]!.error.message, /already running \(run other-run, pid \d+/);
    assert.equal((await listBackups(await store(p), "locked")).backups.length, 0, "nothing ran");
    await held.release();

    // A run killed with its lock in place: the pid is gone, so the next run takes the lock over and says so.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    await writeFile(
      lockPath(w.stateDir, "locked", "backup"),
      JSON.stringify({
        pid: dead,
        host: hostname(),
        runId: "killed-run",
        startedAt: "2026-03-10T02:00:00Z",
        leaseUntil: "2026-03-11T02:00:00Z",
      }),
    );
    const after = await runDue([p], w.deps());
    assert.equal(after.exitCode, 0);
    const stale = await w.journal.query({ kind: "schedule.stale-lock", profile: "locked" });
    assert.match(stale.records[0]!.summary, /left by run killed-run: process \d+ is gone/);
  });

  test("retries within its window, then alerts by webhook and heartbeat; succeeds again and says so", async () => {
    w.env.SCHED_HOOK = `${hooks.url}/webhook`;
    w.env.SCHED_BEAT = `${hooks.url}/ping/abc`;
    const p = w.profile("flaky", {
      schedule: {
        timezone: "UTC",
        backup: { at: "daily at 02:00", heartbeat: "env:SCHED_BEAT" },
        retry: { attempts: 3, backoffMinutes: 5, windowMinutes: 60 },
      },
      monitoring: { webhook: "env:SCHED_HOOK" },
    });
    // The database is down for the whole run.
    const broken = w.profile("flaky", {
      ...p,
      database: { ...p.database, port: 1 },
    } as never);
    w.clock.set("2026-03-10T02:01:00Z");
    hooks.received.length = 0;
    const failed = await runDue([broken], w.deps());
    const run = failed.runs[0]!;
    assert.equal(run.status, "failed");
    assert.equal(run.attempts.length, 3);
    assert.equal(run.error!.code, "PG_UNREACHABLE");
    assert.equal(failed.exitCode, 4);
    assert.deepEqual(w.clock.sleeps.slice(-2), [5 * 60_000, 10 * 60_000], "the wait doubles");
    const paths = hooks.received.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths.slice(0, 3), ["POST /ping/abc/start", "POST /webhook", "POST /ping/abc/4"]);
    // Then the profile's other open alerts, once each.
    const open = hooks.received.slice(3).map((r) => JSON.parse(r.body).lifeboat.title);
    assert.ok(open.includes("No backup exists"), open.join(", "));
    const alert = JSON.parse(hooks.received[1]!.body);
    assert.match(alert.text, /CRITICAL: Scheduled backup of flaky failed/);
    assert.equal(alert.lifeboat.severity, "CRITICAL");
    assert.equal(alert.lifeboat.job, "backup");
    const retries = await w.journal.query({ kind: "schedule.retry", profile: "flaky" });
    assert.equal(retries.total, 2);
    const notified = await w.journal.query({ kind: "notify.webhook", profile: "flaky" });
    assert.equal(notified.records.at(-1)!.outcome, "ok");

    // The next day the database is back, but only from the second try on: one retry, then success and an all-clear.
    w.clock.set("2026-03-11T02:01:00Z");
    hooks.received.length = 0;
    let tries = 0;
    const healed = await runDue(
      [p],
      w.deps({
        runJob: async (profile, job, ctx) => {
          if (++tries === 1) return (await import("../../../src/main/schedule/run-job.ts")).runJob(broken, job, ctx);
          return (await import("../../../src/main/schedule/run-job.ts")).runJob(profile, job, ctx);
        },
      }),
    );
    assert.equal(healed.exitCode, 0);
    assert.equal(healed.runs[0]!.attempts.length, 2);
    const allClear = JSON.parse(hooks.received.find((r) => r.path === "/webhook")!.body);
    assert.equal(allClear.lifeboat.severity, "RESOLVED");
    assert.ok(hooks.received.some((r) => r.path === "/ping/abc/0"));
  });

  test("open alerts go to the webhook once each: a store over its quota, not sent again by the next run", async () => {
    w.env.SCHED_HOOK = `${hooks.url}/webhook`;
    const p = w.profile("quota", {
      schedule: { timezone: "UTC", backup: "every 1 hours" },
      monitoring: { webhook: "env:SCHED_HOOK", quotaBytes: 1024 },
    });
    hooks.received.length = 0;
    w.clock.set("2026-03-10T02:01:00Z");
    assert.equal((await runDue([p], w.deps())).exitCode, 0);
    const titles = () => hooks.received.map((r) => JSON.parse(r.body).lifeboat.title as string);
    assert.ok(titles().includes("Backup store over its quota"), titles().join(", "));
    const first = hooks.received.length;
    w.clock.set("2026-03-10T03:01:00Z");
    assert.equal((await runDue([p], w.deps())).exitCode, 0);
    assert.ok(!titles().slice(first).includes("Backup store over its quota"), "not sent twice");
    const journaled = await w.journal.query({ kind: "notify.webhook", profile: "quota" });
    assert.ok(journaled.records.some((r) => /over its quota/.test(r.summary)));
  });

  test("a failure that cannot heal is not retried; no try starts after the window closes", async () => {
    const missing = w.profile("nosecret", {
      schedule: { timezone: "UTC", backup: "daily at 02:00" },
      database: { ...w.profile("x").database, password: "env:SCHED_NOT_SET" },
    });
    w.clock.set("2026-03-10T02:01:00Z");
    const r = await runDue([missing], w.deps());
    assert.equal(r.runs[0]!.attempts.length, 1);
    assert.equal(r.runs[0]!.error!.code, "SECRET_MISSING");
    assert.equal(r.exitCode, 3);

    const narrow = w.profile("narrow", {
      schedule: {
        timezone: "UTC",
        backup: "daily at 02:00",
        retry: { attempts: 5, backoffMinutes: 5, windowMinutes: 12 },
      },
      database: { ...w.profile("x").database, port: 1 },
    });
    const n = await runDue([narrow], w.deps());
    // Try 1, wait 5 min, try 2; the next wait (10 min) would start try 3 after the 12-minute window.
    assert.equal(n.runs[0]!.attempts.length, 2);
  });

  test("a heartbeat service that is down never fails the backup; the failed ping is journaled", async () => {
    w.env.SCHED_DOWN = await closedUrl();
    const p = w.profile("beatdown", {
      schedule: { timezone: "UTC", backup: { at: "daily at 02:00", heartbeat: "env:SCHED_DOWN" } },
    });
    w.clock.set("2026-03-10T02:01:00Z");
    const r = await runDue([p], w.deps());
    assert.equal(r.exitCode, 0);
    assert.equal(r.runs[0]!.status, "ok");
    const pings = await w.journal.query({ kind: "heartbeat.ping", profile: "beatdown" });
    assert.deepEqual(
      pings.records.map((x) => [x.details.event, x.outcome]),
      [
        ["start", "failed"],
        [0, "failed"],
      ],
    );
    assert.match(pings.records[0]!.summary, /could not be sent: ECONNREFUSED/);
    assert.doesNotMatch(JSON.stringify(pings.records), /ping\/down/, "the ping URL (a secret) is not journaled");
    // A heartbeat reference whose secret is missing: journaled, and the backup still runs.
    const unset = w.profile("beatunset", {
      schedule: { timezone: "UTC", backup: { at: "daily at 02:00", heartbeat: "env:SCHED_BEAT_NOT_SET" } },
    });
    assert.equal((await runDue([unset], w.deps())).exitCode, 0);
    const missing = await w.journal.query({ kind: "heartbeat.ping", profile: "beatunset" });
    assert.match(
      missing.records[0]!.summary,
      /heartbeat URL of the backup of beatunset \(env:SCHED_BEAT_NOT_SET\) is not available/,
    );
  });

  test("a full disk: the run fails clearly after its tries, nothing half-written is left, and the next run succeeds", async (t) => {
    const mnt = join(w.dir, "small-disk");
    await mkdir(mnt);
    const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt]);
    if (mounted.status !== 0) return t.skip(`cannot mount a small tmpfs here (needs root): ${mounted.stderr}`);
    try {
      const filler = join(mnt, "filler");
      spawnSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=1k", "count=240"]);
      await mkdir(join(mnt, "backups"));
      const p = w.profile("fulldisk", {
        storage: { kind: "folder", path: join(mnt, "backups") },
        schedule: { timezone: "UTC", backup: "daily at 02:00", retry: { attempts: 2, backoffMinutes: 1 } },
      });
      w.clock.set("2026-03-10T02:01:00Z");
      const r = await runDue([p], w.deps());
      assert.equal(r.runs[0]!.status, "failed");
      assert.equal(r.runs[0]!.attempts.length, 2, "a full disk may be cleared: it is retried");
      assert.equal(r.runs[0]!.error!.code, "STORAGE_ERROR");
      assert.match(r.runs[0]!.error!.message, /is full/);
      const left = await readdir(join(mnt, "backups"), { recursive: true });
      assert.ok(!left.some((f) => /partial|\.age$/.test(f)), `nothing half-written: ${left.join(", ")}`);
      const stateWrite = await w.journal.query({ kind: "schedule.store-state", profile: "fulldisk" });
      assert.equal(stateWrite.records.at(-1)?.outcome, "failed", "the outcome could not go to the full store");

      await rm(filler);
      w.clock.set("2026-03-11T02:01:00Z");
      const again = await runDue([p], w.deps());
      assert.equal(again.exitCode, 0, JSON.stringify(again.runs[0]?.error));
    } finally {
      spawnSync("umount", [mnt]);
    }
  });

  test("a run that ends after its next start is marked as overrunning", async () => {
    const p = w.profile("slow", { schedule: { timezone: "UTC", backup: "every 1 hours" } });
    w.clock.set("2026-03-10T02:01:00Z");
    const r = await runDue(
      [p],
      w.deps({
        runJob: async () => {
          w.clock.t += 90 * 60_000; // the job takes an hour and a half
          return { durationMs: 90 * 60_000 };
        },
      }),
    );
    assert.equal(r.runs[0]!.overran, true);
  });
});

describe("through the API router", () => {
  test("schedule.plan and schedule.run answer within the contract; a profile without a schedule is named", async () => {
    const { createApiRouter } = await import("../../../src/main/api/router.ts");
    const configPath = join(w.dir, "router-config.json");
    const p = w.profile("routed", { schedule: { timezone: "UTC", backup: "daily at 02:00" } });
    await writeFile(configPath, JSON.stringify({ version: 1, profiles: [p, w.profile("plain")] }), { mode: 0o600 });
    const router = createApiRouter({ configPath, journal: w.journal, env: w.env, shell: "browser", now: w.clock.now });
    w.clock.set("2026-03-10T02:01:00Z");
    const plan = await router.invoke("schedule.plan", {});
    assert.ok(plan.ok, JSON.stringify(plan));
    assert.deepEqual(
      plan.value.plans.map((x) => [x.profile, x.job, x.due]),
      [["routed", "backup", true]],
    );
    const bad = await router.invoke("schedule.run", { job: "nightly" });
    assert.equal(bad.ok, false);
    const ran = await router.invoke("schedule.run", { profiles: ["routed", "plain"], runner: "systemd" });
    assert.ok(ran.ok, JSON.stringify(ran));
    assert.equal(ran.value.runs[0]!.machine.runner, "systemd");
    assert.deepEqual(ran.value.warnings, ["plain has no schedule: nothing to run."]);
  });
});
