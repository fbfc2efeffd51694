// The drill's own logic on a real database: the Neon API is a stub whose "branch" URI points at a real PostgreSQL
// cluster holding the clinical sample, so connect, exact counts, comparison with the journal and cleanup are real.
// The same drill against the sandbox (real point-in-time branches) is in neon-drill.int.test.ts.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { runNeonDrill } from "../../../src/main/drills/neon-drill.ts";
import { runCli } from "../../harness/cli.ts";
import { formatDrillReport } from "../../../src/main/drills/drill-report.ts";
import type { LocalCluster } from "../../../src/main/postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../../../src/main/sample/clinical-sample.ts";
import { startCluster } from "../../harness/pg.ts";
import { neonProfile, testContext, type TestContext } from "../neon/neon-test-profile.ts";
import {
  branch,
  error,
  miniProject,
  project,
  startStubNeon,
  type MiniState,
  type StubNeon,
} from "../neon/stub-neon.ts";

const PASSWORD = "drill-Pw-91c2e7aa";
let cluster: LocalCluster;
let stub: StubNeon;
let ctx: TestContext;
let state: MiniState;

before(async () => {
  cluster = await startCluster({ password: PASSWORD });
  await cluster.query("CREATE DATABASE neondb");
  await createClinicalSchema(cluster.conn("neondb"));
  await generateClinicalData(cluster.conn("neondb"), { scale: 1, seed: 7 });
  stub = await startStubNeon(() => ({ status: 500 }));
  ctx = await testContext();
});
after(async () => {
  await stub?.stop();
  await ctx?.dispose();
  await cluster?.destroy();
});
beforeEach(() => {
  state = {
    project: project({ history_retention_seconds: 7 * 86_400 }),
    branches: [branch("main", { default: true })],
    uri: `postgresql://${cluster.user}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${cluster.port}/neondb?sslmode=disable`,
  };
  stub.requests.length = 0;
  stub.handle = miniProject(state);
});

const profile = () => neonProfile(stub.url);
const today = () => new Date().toISOString().slice(0, 10);

describe("drill neon", () => {
  test("PASS on the sample: branch at 24 h ago, exact counts, branch deleted, journaled with phases", async () => {
    const r = await runNeonDrill(profile(), {}, ctx);
    assert.equal(r.pass, true, JSON.stringify(r.error ?? r.failures));
    assert.equal(r.branch, `backup-test-${today()}`);
    assert.deepEqual(
      r.counts.map((c) => [c.table, c.rows]),
      [
        ["Patient", 150],
        ["ClinicalNote", 423],
        ["User", 12],
        ["Prescription", 380],
        ["LabResult", 900],
        ["AuditLog", 1500],
      ],
    );
    assert.deepEqual(
      r.phases.map((p) => [p.name, p.ok]),
      [
        ["create", true],
        ["connect", true],
        ["count", true],
        ["compare", true],
        ["delete", true],
      ],
    );
    const create = stub.requests.find((x) => x.method === "POST")!.body as { branch: { parent_timestamp: string } };
    assert.ok(Math.abs(Date.now() - 86_400_000 - Date.parse(create.branch.parent_timestamp)) < 10_000);
    assert.ok(
      stub.requests.some((x) => x.method === "DELETE"),
      "the test branch was deleted",
    );
    assert.equal(state.branches.length, 1);

    const report = formatDrillReport(r);
    assert.match(report, /^✅ Backup test passed\n {3}- Patients: 150\n {3}- Clinical Notes: 423\n/);
    assert.match(report, /branch deleted/);

    const last = (await ctx.journal.query({ kind: "drill.neon", newest: true, limit: 1 })).records[0]!;
    assert.equal(last.outcome, "ok");
    assert.equal(last.details.pass, true);
    assert.deepEqual(
      (last.details.phases as Array<{ name: string }>).map((p) => p.name),
      ["create", "connect", "count", "compare", "delete"],
    );
    const journal = await ctx.journalText();
    for (const secret of [PASSWORD, "postgresql://", "[REDACTED]"])
      assert.ok(!journal.includes(secret), `journal holds ${secret}`);
  });

  test("a taken name gets a suffix", async () => {
    state.branches.push(branch(`backup-test-${today()}`));
    const r = await runNeonDrill(profile(), {}, ctx);
    assert.equal(r.branch, `backup-test-${today()}-2`);
    assert.equal(r.pass, true);
  });

  test("FAIL when a key table lost rows since the last passing run, naming the table; the baseline stays the passing run", async () => {
    const baseline = (await ctx.journal.query({ kind: "drill.neon", outcome: "ok", newest: true, limit: 1 }))
      .records[0]!;
    await cluster.query(`DELETE FROM "AuditLog" WHERE id % 2 = 0`, [], "neondb");
    try {
      const r = await runNeonDrill(profile(), {}, ctx);
      assert.equal(r.pass, false);
      assert.deepEqual(r.failures, ['"AuditLog" fell from 1500 to 750 rows (-50.0%, more than the 10% allowed)']);
      assert.equal(r.baseline?.seq, baseline.seq);
      assert.ok(r.phases.find((p) => p.name === "delete")?.ok, "the branch is deleted on FAIL too");
      assert.match(formatDrillReport(r), /❌ BACKUP TEST FAILED[\s\S]*Audit Logs: 750 \(last passing run: 1500\)/);
      const again = await runNeonDrill(profile(), {}, ctx);
      assert.equal(again.pass, false, "a failed run does not become the new baseline");
      const last = (await ctx.journal.query({ kind: "drill.neon", newest: true, limit: 1 })).records[0]!;
      assert.equal(last.outcome, "failed");
      assert.equal(last.details.pass, false);
    } finally {
      await cluster.query(
        `INSERT INTO "AuditLog" ("id","action","tableName","recordId") SELECT g, 'CREATE', 'Patient', g::text FROM generate_series(2, 1500, 2) g`,
        [],
        "neondb",
      );
    }
  });

  test("a missing key table fails", async () => {
    const r = await runNeonDrill(profile(), { tables: ["Patient", "Nope"] }, ctx);
    assert.equal(r.pass, false);
    assert.match(r.failures.join(), /table "Nope" does not exist/);
  });

  test("no offset given: a day when the window allows it, else half the window, saying which plan was assumed", async () => {
    state.project = project({
      history_retention_seconds: 6 * 3600,
      owner: { subscription_type: "free_v3", name: "x", email: "x@example.org", branches_limit: 10 },
    });
    const r = await runNeonDrill(profile(), {}, ctx);
    assert.equal(r.pass, true, JSON.stringify(r.error));
    assert.equal(r.offset, "3 h");
    assert.match(
      r.offsetSource ?? "",
      /half the 6 h history window of the Free plan \(owner.subscription_type free_v3\): 24 hours is beyond it/,
    );
    const body = stub.requests.find((x) => x.method === "POST")!.body as { branch: { parent_timestamp: string } };
    const back = Date.now() - Date.parse(body.branch.parent_timestamp);
    assert.ok(Math.abs(back - 3 * 3_600_000) < 10_000, `branched ${back} ms back`);
    state.project = project({ history_retention_seconds: 7 * 86_400 });
    const week = await runNeonDrill(profile(), {}, ctx);
    assert.equal(week.offset, "1 d");
    assert.match(week.offsetSource ?? "", /default: 24 hours/);
  });

  test("an offset beyond Neon's window: FAIL before any branch, journaled", async () => {
    state.project = project({ history_retention_seconds: 3600 });
    const r = await runNeonDrill(profile(), { offset: "2 hours" }, ctx);
    assert.equal(r.pass, false);
    assert.equal(r.error?.code, "NEON_OUTSIDE_WINDOW");
    assert.deepEqual(
      r.phases.map((p) => [p.name, p.ok]),
      [["create", false]],
    );
    assert.ok(!stub.requests.some((x) => x.method === "POST"));
  });

  test("a failed delete is reported, and the branch named", async () => {
    const base = stub.handle;
    stub.handle = (x) => (x.method === "DELETE" ? error(503, "unavailable") : base(x));
    const r = await runNeonDrill(profile(), { offset: "1 hour", maxRetryWaitMs: 200 }, ctx);
    assert.equal(r.pass, true);
    assert.equal(r.phases.at(-1)?.name, "delete");
    assert.equal(r.phases.at(-1)?.ok, false);
    assert.match(
      r.warnings.join(),
      new RegExp(`backup-test-${today()} could not be deleted: .*unavailable.*lifeboat neon delete`),
    );
  });

  test("lifeboat drill neon: the seed's report, exit 0 on PASS and 6 on FAIL", async () => {
    const configPath = `${ctx.dir}/config.json`;
    const p = profile();
    await writeFile(
      configPath,
      JSON.stringify({
        version: 1,
        profiles: [
          {
            ...p,
            neon: { ...p.neon, drill: { offsetHours: 2, tables: ["Patient", "ClinicalNote"], maxDropPercent: 10 } },
          },
        ],
      }),
      { mode: 0o600 },
    );
    const env = { ...process.env, ...ctx.env, LIFEBOAT_JOURNAL_DIR: `${ctx.dir}/cli-journal` };
    const pass = await runCli(["--config", configPath, "drill", "neon"], { env });
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(
      pass.stdout,
      /^✅ Backup test passed\n {3}- Patients: 150\n {3}- Clinical Notes: 423\n {3}- Recovery branch backup-test-\S+ created at \S+ \(2 h ago\) successfully\n {3}- Data verified \(first run/,
    );
    assert.match(pass.stdout, /phases: create \d+\.\d s · connect .* · delete \d+\.\d s; total/);
    const fail = await runCli(["--config", configPath, "--json", "drill", "neon", "--table", "Nope"], { env });
    assert.equal(fail.code, 6);
    assert.equal(fail.json?.value.pass, false);
    assert.ok(!pass.stdout.includes(PASSWORD) && !fail.stdout.includes(PASSWORD));
  });

  test("the result fits the API contract", async () => {
    const { drillChannels } = await import("../../../src/shared/api/channels/neon-channels.ts");
    drillChannels["drill.neon"].result.parse(await runNeonDrill(profile(), { offset: "10 minutes" }, ctx));
  });
});
