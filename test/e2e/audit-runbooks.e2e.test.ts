// The runbooks for the scenarios the audit found without a procedure (seed 003), each practised end to end in the
// console on the Neon sandbox, staged as `lifeboat sandbox --incident …` stages it. Each step's check is held against
// the sandbox itself (its PostgreSQL, its Neon API, the S3 store), the final state is checked with SQL, and the close
// leaves a training record (operator, runbook version, achieved RTO).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import pg from "pg";
import { findRunbook } from "../../src/shared/runbooks/all-runbooks.ts";
import { BUCKET, e2eSkipReason, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import {
  assertTrainingRecord,
  closeIncident,
  records,
  runAction,
  sql,
  startRunbook,
  stepRegion,
  tickAll,
} from "./runbook-driver.ts";
import { visible } from "./ui.ts";

const skip = e2eSkipReason();

describe(
  "runbooks for the audit's scenarios, practised on the sandbox",
  { skip: skip ?? false, timeout: 900_000 },
  () => {
    let env: ConsoleEnv;
    before(async () => {
      env = await startConsoleEnv();
      await env.page.goto(env.host.url);
    });
    after(async () => {
      await env?.stop();
    });

    test("Scenario 4: the server fails mid-write; production is restored in place, nothing committed lost", async () => {
      const { page } = env;
      const runbook = findRunbook("scenario-4-server-failure")!;
      const staged = await env.sandbox.stageIncident("server-failure");
      const { committedNoteId, inFlightTitle } = staged.details as { committedNoteId: number; inFlightTitle: string };
      assert.equal(env.sandbox.connInfo(), null, "the sandbox's production compute is down");
      const incident = await startRunbook(env, runbook.title, "Production database server failed");

      const check = await runAction(env, 1, "Try a direct connection", "Test the connection", 60_000);
      await visible(check.getByRole("definition").filter({ hasText: /^no$/ }));
      const neon = await runAction(env, 2, "Look at the compute in Neon", "Ask Neon", 60_000);
      await visible(neon.getByRole("definition").filter({ hasText: /^main$/ }));
      // The lost compute as the sandbox's Neon API reports it: idle, with "active" pending for good.
      await visible(neon.getByRole("definition").filter({ hasText: /^idle$/ }));
      const support = stepRegion(env, 3, "Contact Neon support (CRITICAL)");
      await support.getByRole("button", { name: "Now: Contacted at (UTC)" }).click();
      await support.getByRole("button", { name: "Record contact" }).click();
      const point = stepRegion(env, 4, "Choose the point to restore to");
      await point.getByRole("button", { name: "Now: Restore to (UTC)" }).click();
      await point.getByRole("button", { name: "Record the point" }).click();

      const replace = stepRegion(env, 5, "Restore production in place");
      await (await visible(replace.getByLabel("Type the production branch's name to confirm"), 60_000)).fill("main");
      await runAction(env, 5, "Restore production in place", "Restore in place");
      await visible(replace.getByText(/^failed-compute-\d{8}-\d{6}$/));
      const [restore] = await records(env, { kind: "neon.restore", outcome: "ok", incident });
      assert.ok(restore, "the engine journaled the in-place restore as done");
      assert.ok(env.sandbox.connInfo(), "production has a compute again");

      const again = await runAction(env, 6, "Connect again", "Connect again", 60_000);
      await visible(again.getByRole("definition").filter({ hasText: /^yes$/ }));
      // The same connection the application uses answers, and holds what was committed before the failure only.
      const notes = await sql<{ id: number; title: string }>(
        env,
        `SELECT id, title FROM "ClinicalNote" WHERE id = $1 OR title = $2`,
        [committedNoteId, inFlightTitle],
      );
      assert.deepEqual(
        notes.map((n) => n.id),
        [committedNoteId],
        "the committed note survived, the one in flight is gone",
      );

      const backup = await runAction(env, 7, "Back up the recovered database", "Back up now");
      const shown = backup.getByRole("definition").filter({ hasText: /^\d{8}T\d{6}Z/ });
      const id = ((await shown.textContent()) ?? "").trim();
      const listed = await env.s3.client().send(new ListObjectsV2Command({ Bucket: BUCKET }));
      const keys = (listed.Contents ?? []).map((o) => o.Key ?? "");
      assert.ok(
        keys.some((k) => k.includes(id) && k.endsWith("manifest.json")),
        `the backup's manifest is in S3: ${keys.join(", ")}`,
      );
      const counted = Number((await sql<{ n: string }>(env, `SELECT count(*) AS n FROM "ClinicalNote"`))[0]!.n);
      await visible(
        backup
          .getByRole("row")
          .filter({ hasText: "ClinicalNote" })
          .filter({ hasText: String(counted) }),
      );

      const app = stepRegion(env, 8, "Check the application");
      await app.getByRole("checkbox", { name: "The application reads and writes again" }).check();
      await app.getByRole("button", { name: "Record the check" }).click();
      await runAction(env, 9, "Mark service restored", "Service restored", 60_000);
      const notify = stepRegion(env, 10, "Notify users");
      await notify.getByRole("checkbox", { name: "Status page updated" }).check();
      await notify.getByRole("button", { name: "Record notification" }).click();
      await tickAll(env, 11);
      await env.screenshot("runbook-scenario-4-done");
      await closeIncident(env, "Compute replaced in place from Neon's history; nothing committed was lost.");
      await assertTrainingRecord(env, incident, runbook.id, runbook.version);
      await page.getByRole("button", { name: "Back to runbooks" }).click();
    });

    test("Scenario 7: a bad release wrote wrong values into three tables for a while; all of it is undone, later work kept", async () => {
      const { page } = env;
      const runbook = findRunbook("scenario-7-application-error")!;
      const staged = await env.sandbox.stageIncident("app-error");
      const { release, damaged, laterPatient } = staged.details as {
        release: string;
        damaged: Record<string, { column: string; rows: { id: number; was: string | null }[] }>;
        laterPatient: number;
      };
      const tables = Object.keys(damaged);
      assert.deepEqual(tables, ["Patient", "Prescription", "LabResult"]);
      const incident = await startRunbook(env, runbook.title, `Release ${release} wrote wrong data`);

      const rollback = stepRegion(env, 1, "Roll back the application immediately");
      await rollback.getByLabel("Reverted commit").fill("4b3c2d1");
      await rollback.getByRole("checkbox", { name: "Previous version redeployed" }).check();
      await rollback.getByRole("button", { name: "Record rollback" }).click();
      const window = stepRegion(env, 2, "Find the deploy window");
      await window.getByLabel("Bad release").fill(release);
      await window.getByLabel("Went live at (UTC)").fill(staged.lastGoodSecond);
      await window.getByLabel("Rolled back at (UTC)").fill(staged.damagedSecond!);
      await window.getByRole("button", { name: "Record the window" }).click();

      // The audit log read in the window: a burst of the release's UPDATEs on each table it wrote to, with its rows.
      const audit = await runAction(env, 3, "List what the release wrote", "Search the audit log", 120_000);
      for (const t of tables)
        await visible(
          audit
            .getByRole("row")
            .filter({ has: page.getByRole("cell", { name: t, exact: true }) })
            .filter({ hasText: String(damaged[t]!.rows.length) }),
        );
      const confirm = stepRegion(env, 4, "Confirm the window and the tables");
      const listed = (await confirm.getByLabel("Tables to repair (comma separated)").inputValue()).split(", ");
      assert.deepEqual([...listed].sort(), [...tables].sort(), "every table the release wrote to, by default");
      await confirm.getByRole("button", { name: "Record the window and tables" }).click();

      await runAction(env, 5, "Create the recovery branch", "Create recovery branch");
      await runAction(env, 6, "Create the damaged-state branch", "Create damaged-state branch");
      await runAction(env, 7, "Plan the repair", "Plan the repair");
      await runAction(env, 8, "Dry run the repair", "Dry run");
      const wrong = async () => {
        let n = 0;
        for (const [t, d] of Object.entries(damaged)) {
          const rows = await sql<{ id: number; v: string | null }>(
            env,
            `SELECT id, "${d.column}"::text AS v FROM "${t}" WHERE id = ANY($1)`,
            [d.rows.map((r) => r.id)],
          );
          const was = new Map(d.rows.map((r) => [r.id, r.was]));
          n += rows.filter((r) => r.v !== was.get(Number(r.id))).length;
        }
        return n;
      };
      const damagedRows = Object.values(damaged).reduce((n, d) => n + d.rows.length, 0);
      assert.equal(await wrong(), damagedRows, "a dry run writes nothing");
      const repair = stepRegion(env, 9, "Repair production");
      await (await visible(repair.getByLabel("Type the production database name to confirm"))).fill("neondb");
      await runAction(env, 9, "Repair production", "Repair production", 180_000);
      assert.equal(await wrong(), 0, "every value the release wrote is back as it was before the deploy");
      const [later] = await sql<{ email: string }>(env, `SELECT email FROM "Patient" WHERE id = $1`, [laterPatient]);
      assert.equal(later?.email, "after.rollback@example.org", "what the clinic wrote after the rollback is kept");
      const [apply] = await records(env, { kind: "forensics.apply", outcome: "ok", incident });
      assert.ok(apply, "the engine journaled the repair");
      await runAction(env, 10, "Verify the repair", "Verify the repair", 180_000);

      const check = stepRegion(env, 11, "Check the application");
      await check.getByRole("checkbox", { name: "Repaired values are right in the application" }).check();
      await check.getByRole("checkbox", { name: "Work done after the rollback is still there" }).check();
      await check.getByRole("button", { name: "Record the check" }).click();
      await runAction(env, 12, "Mark service restored", "Service restored", 60_000);
      await tickAll(env, 13);
      await env.screenshot("runbook-scenario-7-done");
      await closeIncident(env, `Release ${release} rolled back; its writes in three tables undone from branches.`);
      await assertTrainingRecord(env, incident, runbook.id, runbook.version);
      await page.getByRole("button", { name: "Back to runbooks" }).click();
    });

    test("Scenario 6: ransomware encrypted every note; contained, evidence kept, the clean point restored into a new branch", async () => {
      const { page } = env;
      const runbook = findRunbook("scenario-6-ransomware")!;
      const staged = await env.sandbox.stageIncident("ransomware");
      const { ransomTable, encryptedNotes } = staged.details as { ransomTable: string; encryptedNotes: number };
      const incident = await startRunbook(env, runbook.title, "Clinical notes encrypted, ransom note found");

      const isolate = stepRegion(env, 1, "Cut the attacker off");
      await isolate.getByRole("checkbox", { name: "Application offline (maintenance page)" }).check();
      await isolate.getByRole("checkbox", { name: "Database access limited to the recovery team" }).check();
      await isolate.getByRole("button", { name: "Record containment" }).click();
      const rotate = stepRegion(env, 2, "Rotate every credential");
      for (const name of [
        "Database role password reset",
        "Neon API keys revoked and replaced",
        "S3 keys replaced",
        "Lifeboat's secrets set to the new values",
      ])
        await rotate.getByRole("checkbox", { name }).check();
      await rotate.getByRole("button", { name: "Record rotation" }).click();
      // Lifeboat's own access, checked against the sandbox's database and the S3 store with what it holds now.
      const access = await runAction(
        env,
        3,
        "Check Lifeboat's access with the new credentials",
        "Test the credentials",
        120_000,
      );
      for (const check of ["database", "storage", "restore identity"]) {
        const row = access.getByRole("row").filter({ has: page.getByRole("cell", { name: check, exact: true }) });
        assert.equal(await row.getByRole("cell").nth(1).textContent(), "yes", `${check}: ${await row.textContent()}`);
      }

      const evidence = await runAction(env, 4, "Keep the compromised state as evidence", "Keep the evidence");
      await visible(evidence.getByText(/^emergency-\d{8}-\d{6}$/));
      const [snapshot] = await records(env, { kind: "neon.snapshot", outcome: "ok", incident });
      assert.ok(snapshot, "the engine journaled the evidence branch");

      const first = stepRegion(env, 5, "When did the attacker first act?");
      await first.getByLabel("First sign of the attacker (UTC)").fill(`${staged.startedAt.slice(0, 19)}Z`);
      await first.getByRole("button", { name: "Record the time" }).click();
      await runAction(env, 6, "List the off-site backups and their locks", "List backups", 60_000);
      const clean = stepRegion(env, 7, "Choose the last clean point");
      await clean.getByRole("radio", { name: "Neon's history: a new branch at the last clean second" }).check();
      await clean.getByLabel("Last clean second (UTC)").fill(staged.lastGoodSecond);
      await clean.getByRole("button", { name: "Record the clean point" }).click();
      assert.equal(
        await stepRegion(env, 11, "Restore the locked backup into a new database").getByText("NOT APPLICABLE").count(),
        1,
      );

      await runAction(env, 8, "Restore the clean point into a new branch", "Create the clean branch");
      const schema = await runAction(env, 9, "Prove the clean copy: the schema", "Compare schemas", 120_000);
      await visible(schema.getByRole("definition").filter({ hasText: ransomTable }));
      const rows = await runAction(env, 10, "Prove the clean copy: the rows", "Compare the rows");
      await visible(rows.getByRole("definition").filter({ hasText: new RegExp(`^${encryptedNotes}$`) }));

      const breach = stepRegion(env, 12, "Record the breach assessment's evidence");
      await breach.getByLabel("Data the attacker could reach").fill("Every clinical note (title and content).");
      assert.match(await breach.getByLabel("Evidence kept (branches, logs)").inputValue(), /^emergency-/);
      await breach.getByRole("checkbox", { name: "Privacy officer and counsel informed" }).check();
      await breach.getByRole("button", { name: "Record the evidence" }).click();
      const reconnect = stepRegion(env, 13, "Reconnect the application");
      await reconnect.getByRole("checkbox", { name: "DATABASE_URL points at the restored database" }).check();
      await reconnect.getByRole("checkbox", { name: "Application restarted or redeployed" }).check();
      await reconnect.getByRole("button", { name: "Record reconnection" }).click();
      await runAction(env, 14, "Mark service restored", "Service restored", 60_000);
      const notify = stepRegion(env, 15, "Notify users");
      await notify.getByRole("checkbox", { name: "Status page updated" }).check();
      await notify.getByRole("button", { name: "Record notification" }).click();
      await tickAll(env, 16);
      await env.screenshot("runbook-scenario-6-done");
      await closeIncident(
        env,
        "Restored the last clean second into a new branch; the compromised state kept as evidence.",
      );
      await assertTrainingRecord(env, incident, runbook.id, runbook.version);

      // The clean branch holds every note as it was, and none of the attacker's marks; production is left as evidence.
      const [made] = await records(env, { kind: "neon.recover-to", outcome: "ok", incident });
      const conn = env.sandbox.connInfo(String(made?.details.branchId));
      assert.ok(conn, "the clean branch has a compute");
      const c = new pg.Client({ ...conn, ssl: false });
      await c.connect();
      try {
        const q = async (text: string) => (await c.query(text)).rows[0] as Record<string, unknown>;
        assert.deepEqual(await q(`SELECT to_regclass('"${ransomTable}"') AS t`), { t: null });
        assert.deepEqual(
          await q(
            `SELECT count(*)::int AS n, count(*) FILTER (WHERE content LIKE 'ENCRYPTED:%')::int AS bad FROM "ClinicalNote"`,
          ),
          { n: encryptedNotes, bad: 0 },
        );
      } finally {
        await c.end();
      }
      const [kept] = await sql<{ t: string | null }>(env, `SELECT to_regclass('"${ransomTable}"')::text AS t`);
      assert.ok(kept?.t, "production is kept as the attacker left it (evidence)");
      await page.getByRole("button", { name: "Back to runbooks" }).click();
    });
  },
);
