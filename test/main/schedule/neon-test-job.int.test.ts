// The scheduled weekly Neon test, run by the due-job runner against the local Neon sandbox (real point-in-time
// recovery): it branches into the past, counts the key tables and passes; its outcome is in the store and the journal,
// and `check`'s metrics say so. After a staged bulk delete the next week's run FAILS honestly: not retried (waiting
// cannot bring the rows back), exit 6, a HIGH alert to the webhook, the failure pinged to the heartbeat, and the
// metrics turn to 0. A Neon that keeps failing the branch's creation is tried again within the window, then alerted.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { profileStore } from "../../../src/main/engine/profile-runtime.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { runCheck } from "../../../src/main/monitoring/check.ts";
import { renderMetrics } from "../../../src/main/monitoring/metrics.ts";
import { readStoreStates } from "../../../src/main/schedule/job-state.ts";
import { runDue } from "../../../src/main/schedule/run-due.ts";
import type { RunnerDeps } from "../../../src/main/schedule/runner-deps.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import type { Profile } from "../../../src/shared/config.ts";
import { startReceiver, type HttpReceiver } from "../../harness/http-receiver.ts";
import { neonApi, useSandbox } from "../../harness/neon-sandbox.ts";
import { FakeClock } from "../../harness/schedule-env.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  labels?: Record<string, string>;
  value: string;
}
interface Family {
  name: string;
  metrics: Sample[];
}

/** The value of `name` for the sample whose labels include `labels`, from the Prometheus text. */
function metric(text: string, name: string, labels: Record<string, string>): number | undefined {
  const family = (parsePrometheusTextFormat(text) as Family[]).find((f) => f.name === name);
  const hit = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return hit ? Number(hit.value) : undefined;
}

describe("the scheduled weekly Neon test on the sandbox", () => {
  const sandbox = useSandbox();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let journal: OpenJournal;
  let hooks: HttpReceiver;
  let profile: Profile;
  const clock = new FakeClock("2026-03-09T03:05:00Z"); // a Monday, five minutes after the test's time

  const deps = (): RunnerDeps => {
    const secret = (ref: string) => resolveSecret(ref, env);
    return {
      journal,
      engine: { resolveSecret: secret, env },
      store: (p) => profileStore(p, { resolveSecret: secret }),
      stateDir: join(dir, "schedule"),
      runner: "test",
      now: clock.now,
      sleep: clock.sleep,
      http: { timeoutMs: 2000, tries: 1 },
    };
  };

  const checkNow = (neon = false) => {
    const d = deps();
    return runCheck([profile], {
      ctx: d.engine,
      store: d.store,
      journal,
      now: new Date(),
      timeoutMs: 10_000,
      database: false,
      neon,
    });
  };
  const metricsNow = async (): Promise<string> => (await renderMetrics((await checkNow()).profiles, new Date())).text;

  before(async () => {
    const s = sandbox();
    dir = await mkdtemp(join(tmpdir(), "lifeboat-neon-test-job-"));
    await mkdir(join(dir, "store"));
    hooks = await startReceiver();
    env = {
      ...process.env,
      SANDBOX_KEY: s.apiKey,
      NEON_TEST_HOOK: `${hooks.url}/webhook`,
      NEON_TEST_BEAT: `${hooks.url}/ping/neon`,
    };
    journal = await openJournal({ dir: join(dir, "journal") });
    profile = validateProfile({
      name: "clinic",
      database: { host: "127.0.0.1", database: "neondb", user: "neondb_owner" },
      storage: { kind: "folder", path: join(dir, "store") },
      encryption: { recipients: [generateIdentity().recipient] },
      // The sandbox's history is seconds old: the test branches 2 s back (a real project's default is 24 hours).
      neon: { projectId: s.projectId, apiKey: "env:SANDBOX_KEY", apiHost: s.apiUrl, drill: { offsetHours: 2 / 3600 } },
      schedule: {
        timezone: "UTC",
        "neon-test": { at: "weekly on monday at 03:00", heartbeat: "env:NEON_TEST_BEAT" },
        retry: { attempts: 3, backoffMinutes: 5, windowMinutes: 60 },
      },
      monitoring: { webhook: "env:NEON_TEST_HOOK" },
    });
  });
  after(async () => {
    await journal?.close().catch(() => undefined);
    await hooks?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("passes on the sample: outcome, store state, journal records and metrics", async () => {
    await sleep(3000); // the branch point, 2 s back, must be inside the sandbox's history with a margin
    const r = await runDue([profile], deps());
    assert.equal(r.exitCode, 0, JSON.stringify(r.runs.map((x) => x.error)));
    assert.deepEqual(
      r.runs.map((x) => [x.job, x.status, x.trigger]),
      [["neon-test", "ok", "schedule"]],
    );
    const run = r.runs[0]!;
    assert.equal(run.attempts.length, 1);
    assert.equal(run.result!.pass, true);
    // The sample's key tables (Patients 150, Clinical Notes 423, …), every one counted on the branch.
    assert.ok(run.result!.tables! >= 2, JSON.stringify(run.result));
    assert.ok(run.result!.rows! >= 150 + 423, JSON.stringify(run.result));
    assert.deepEqual(
      run.result!.phases!.map((p) => p.name),
      ["create", "connect", "count", "compare", "delete"],
    );

    // The journal: the drill's own record with its counts, inside the scheduled run's records.
    const drills = await journal.query({ kind: "drill.neon", profile: "clinic", newest: true, limit: 5 });
    const passed = drills.records.at(-1)!;
    assert.equal(passed.outcome, "ok", passed.summary);
    const counts = (passed.details as { counts: { table: string; rows: number }[] }).counts;
    assert.deepEqual(
      counts.filter((c) => c.table === "Patient" || c.table === "ClinicalNote").map((c) => [c.table, c.rows]),
      [
        ["Patient", 150],
        ["ClinicalNote", 423],
      ],
    );
    const runs = await journal.query({ kind: "schedule.run", profile: "clinic", newest: true, limit: 2 });
    assert.deepEqual(
      runs.records.map((x) => x.outcome),
      ["started", "ok"],
    );
    assert.equal((runs.records[1]!.details as { job: string }).job, "neon-test");
    assert.ok(passed.seq > runs.records[0]!.seq && passed.seq < runs.records[1]!.seq);

    // The store: the run's outcome beside the backups, for any machine's `check` and `fleet`.
    const states = await readStoreStates(await deps().store(profile), "clinic", ["neon-test"]);
    assert.equal(states["neon-test"]?.runId, run.runId);
    assert.equal(states["neon-test"]?.status, "ok");

    // The metrics, parsed back.
    const text = await metricsNow();
    assert.equal(metric(text, "lifeboat_job_last_success", { profile: "clinic", job: "neon-test" }), 1);
    assert.equal(metric(text, "lifeboat_job_last_attempts", { profile: "clinic", job: "neon-test" }), 1);
    assert.equal(metric(text, "lifeboat_backup_test_last_result", { profile: "clinic", kind: "drill.neon" }), 1);
    // `check` asks Neon too: production's branch and whether it is protected.
    const neon = (await checkNow(true)).profiles[0]!.neon!;
    assert.equal(neon.reachable, true, JSON.stringify(neon));
    assert.equal(neon.branch, "main");
    assert.equal(typeof neon.protected, "boolean");
    // The heartbeat got start and 0. A success after no failure is no news: the webhook gets only the profile's
    // other open alerts (no backup yet, no restore proven), none about the test.
    assert.deepEqual(
      hooks.received.filter((x) => x.path.startsWith("/ping/")).map((x) => `${x.method} ${x.path}`),
      ["POST /ping/neon/start", "POST /ping/neon/0"],
    );
    const titles = hooks.received.filter((x) => x.path === "/webhook").map((x) => JSON.parse(x.body).lifeboat.title);
    assert.ok(titles.length > 0 && titles.every((t: string) => !/Neon/.test(t)), titles.join(", "));
  });

  test("after a bulk delete the next week's run fails honestly: not retried, exit 6, alerted, metrics 0", async () => {
    const incident = await sandbox().stageIncident("bulk-delete", undefined, { rows: 100 });
    assert.match(incident.summary, /deleted 100 of 423 "ClinicalNote" rows/);
    await sleep(3000);
    hooks.received.length = 0;
    clock.set("2026-03-16T03:05:00Z");
    const sleepsBefore = clock.sleeps.length;
    const r = await runDue([profile], deps());
    const run = r.runs[0]!;
    assert.equal(run.job, "neon-test");
    assert.equal(run.status, "failed");
    assert.equal(run.error!.code, "DRILL_FAILED");
    assert.match(run.error!.message, /the weekly Neon test FAILED: .*"ClinicalNote" fell from 423 to 323 rows/);
    assert.equal(run.attempts.length, 1, "a test that found rows missing is not tried again");
    assert.equal(clock.sleeps.length, sleepsBefore, "no wait for a retry");
    assert.equal(r.exitCode, 6);

    // The alert and the heartbeat's exit code.
    assert.deepEqual(
      hooks.received.slice(0, 3).map((x) => `${x.method} ${x.path}`),
      ["POST /ping/neon/start", "POST /webhook", "POST /ping/neon/6"],
    );
    const alert = JSON.parse(hooks.received[1]!.body);
    assert.equal(alert.lifeboat.severity, "HIGH");
    assert.equal(alert.lifeboat.job, "neon-test");
    assert.match(alert.text, /Scheduled weekly Neon backup test of clinic failed/);
    assert.match(alert.text, /ClinicalNote/);

    // The journal says FAILED, with the counts that failed it; the branch it made is gone.
    const drills = await journal.query({ kind: "drill.neon", profile: "clinic", newest: true, limit: 1 });
    const failed = drills.records[0]!;
    assert.equal(failed.outcome, "failed");
    const details = failed.details as {
      counts: { table: string; rows: number }[];
      phases: { name: string; ok: boolean }[];
    };
    assert.equal(details.counts.find((c) => c.table === "ClinicalNote")?.rows, 323);
    assert.deepEqual(details.phases.at(-1), { ...details.phases.at(-1), name: "delete", ok: true });
    const runs = await journal.query({ kind: "schedule.run", profile: "clinic", newest: true, limit: 1 });
    assert.equal(runs.records[0]!.outcome, "failed");
    assert.equal((runs.records[0]!.details as { error: { code: string } }).error.code, "DRILL_FAILED");
    const notified = await journal.query({ kind: "notify.webhook", profile: "clinic", newest: true, limit: 1 });
    assert.equal(notified.records[0]!.outcome, "ok");

    const text = await metricsNow();
    assert.equal(metric(text, "lifeboat_job_last_success", { profile: "clinic", job: "neon-test" }), 0);
    assert.equal(metric(text, "lifeboat_backup_test_last_result", { profile: "clinic", kind: "drill.neon" }), 0);
    assert.ok(metric(text, "lifeboat_alerts_open", { profile: "clinic", severity: "HIGH" })! >= 1, text);
  });

  test("a Neon that keeps failing the branch's creation: retried within the window, then alerted, nothing left", async () => {
    const s = sandbox();
    s.faults.add({ kind: "operation-failed", operation: "createProjectBranch", times: 3 });
    try {
      hooks.received.length = 0;
      clock.set("2026-03-23T03:05:00Z");
      const sleepsBefore = clock.sleeps.length;
      const r = await runDue([profile], deps());
      const run = r.runs[0]!;
      assert.equal(run.status, "failed", JSON.stringify(run));
      assert.equal(run.attempts.length, 3, "a failure that can heal is tried again, up to the policy's 3 tries");
      assert.match(run.error!.message, /ended failed: the operation failed \(injected by the Lifeboat sandbox\)/);
      assert.equal(r.exitCode, 4);
      assert.deepEqual(clock.sleeps.slice(sleepsBefore), [5 * 60_000, 10 * 60_000], "the wait doubles");
      const retries = await journal.query({ kind: "schedule.retry", profile: "clinic" });
      assert.equal(retries.total, 2);
      assert.deepEqual(
        hooks.received.slice(0, 3).map((x) => `${x.method} ${x.path}`),
        ["POST /ping/neon/start", "POST /webhook", "POST /ping/neon/4"],
      );
      assert.match(JSON.parse(hooks.received[1]!.body).text, /Scheduled weekly Neon backup test of clinic failed/);
      // Each try's failed branch was cleaned up: no test branch is left in the project.
      const branches = (await neonApi(s, "GET", ":project/branches")).body.branches as { name: string }[];
      assert.deepEqual(
        branches.filter((b) => b.name.startsWith("backup-test-")).map((b) => b.name),
        [],
      );
    } finally {
      s.faults.clear();
    }
  });
});
