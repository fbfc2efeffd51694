// The other runbooks against the real engine and the Neon sandbox: the weekly backup test (Neon drill + deep verify of
// the newest backup) and Scenario 3 (a migration dropped a column; it comes back with its values); then the restore
// wizard's Neon path, a new branch at a point in time.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IncidentRecord } from "../../src/main/sandbox/index.ts";
import { e2eSkipReason, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import { closeIncident, sql, startRunbook, tickAll as tickAllOf } from "./runbook-driver.ts";
import { openScreen, visible } from "./ui.ts";

const skip = e2eSkipReason();

describe(
  "runbooks: weekly backup test, Scenario 3, a Neon restore from the wizard, and Scenario 2",
  { skip: skip ?? false, timeout: 900_000 },
  () => {
    let env: ConsoleEnv;
    before(async () => {
      // The sandbox's history is minutes old, not days: the drill goes back 10 seconds instead of the seed's 24 hours.
      env = await startConsoleEnv({ drillOffsetHours: 10 / 3600 });
      await env.page.goto(env.host.url);
    });
    after(async () => {
      await env?.stop();
    });

    const step = (n: number, title: string) => env.page.getByRole("region", { name: `Step ${n}: ${title}` });

    const start = (title: string, incidentTitle: string) => startRunbook(env, title, incidentTitle);
    const close = (resolution: string) => closeIncident(env, resolution);
    const tickAll = (n: number) => tickAllOf(env, n);

    test("the weekly backup test: Neon drill back in time and a deep verify of the newest backup", async () => {
      const { page } = env;
      await openScreen(page, "Backups");
      await page.getByRole("button", { name: "Run backup now" }).click();
      await visible(page.getByRole("status").filter({ hasText: /committed/ }), 120_000);

      await start("Weekly backup test", "Weekly backup test");
      // The drill branches 10 s back: the sandbox's history must reach that far first.
      const { earliest } = await env.sandbox.historyWindow();
      await new Promise((r) => setTimeout(r, Math.max(0, earliest.getTime() + 12_000 - Date.now())));
      const drill = step(1, "Neon: branch back in time and count");
      await drill.getByRole("button", { name: "Run the Neon drill" }).click();
      await visible(drill.getByText(/^(DONE|FAILED)$/), 300_000);
      if (await drill.getByText("FAILED", { exact: true }).isVisible())
        assert.fail(`the drill failed: ${await drill.getByRole("table").allTextContents()}`);
      await visible(drill.getByRole("table").getByRole("row").filter({ hasText: "Patient" }));
      await step(2, "List the off-site backups").getByRole("button", { name: "List backups" }).click();
      await step(3, "Deep verify the newest backup").getByRole("button", { name: "Deep verify" }).click();
      await visible(step(3, "Deep verify the newest backup").getByText(/^ALL \d+ TABLES MATCH$/), 300_000);
      // The operator's note goes with the verdict; there is no "passed" box to tick against the computed result.
      const note = step(4, "Anything unusual");
      assert.equal(await note.getByRole("checkbox").count(), 0);
      await note.getByLabel("Notes (anything unusual)").fill("Drill took longer than last week; counts as expected.");
      await note.getByRole("button", { name: "Record the note" }).click();
      const verdict = step(5, "Verdict");
      await verdict.getByRole("button", { name: "Compute the verdict" }).click();
      const shown = await visible(verdict.getByRole("region", { name: "Verdict", exact: true }), 60_000);
      await visible(shown.getByText("PASS", { exact: true }));
      assert.match((await shown.textContent()) ?? "", /drill/i);
      await env.screenshot("runbook-weekly-backup-test");
      await close("Weekly test passed.");
      await page.getByRole("button", { name: "Back to runbooks" }).click();
    });

    test("Scenario 3: a dropped column comes back with its values from a branch before the migration", async () => {
      const { page } = env;
      const incident: IncidentRecord = await env.sandbox.stageIncident("drop-column");
      const { column, rowsWithValues } = incident.details as { column: string; rowsWithValues: number };
      await start("Scenario 3: Schema migration gone wrong", "Vitals column dropped by migration 20260117_cleanup");

      const rollback = step(1, "Roll back the application immediately");
      await rollback.getByLabel("Reverted commit").fill("a1b2c3d");
      await rollback.getByRole("checkbox", { name: "Previous version redeployed" }).check();
      await rollback.getByRole("button", { name: "Record rollback" }).click();
      const when = step(2, "When did the migration run?");
      await when.getByLabel("Last good second before the migration (UTC)").fill(incident.lastGoodSecond);
      await when.getByRole("button", { name: "Record the time" }).click();
      await step(3, "Create the recovery branch").getByRole("button", { name: "Create recovery branch" }).click();
      const diff = step(4, "Find what the migration dropped");
      await (await visible(diff.getByRole("button", { name: "Compare schemas" }), 300_000)).click();
      await visible(diff.getByRole("table").getByRole("row").filter({ hasText: column }), 60_000);
      const what = step(5, "Choose what to restore");
      assert.equal(await what.getByLabel("Column (empty to restore the whole dropped table)").inputValue(), column);
      await what.getByRole("button", { name: "Record the choice" }).click();
      await step(6, "Dry run the schema restore").getByRole("button", { name: "Dry run" }).click();
      const restore = step(7, "Restore the dropped schema and values");
      await (await visible(restore.getByLabel("Type the production database name to confirm"), 120_000)).fill("neondb");
      await restore.getByRole("button", { name: "Restore into production" }).click();
      await visible(restore.getByText("DONE", { exact: true }), 120_000);
      const rows = await sql<{ n: string }>(
        env,
        `SELECT count(*) AS n FROM "ClinicalNote" WHERE "${column}" IS NOT NULL`,
      );
      assert.equal(Number(rows[0]!.n), rowsWithValues, "the column is back with every value");

      const prisma = step(8, "Mark the migration as rolled back");
      await prisma.getByLabel("Migration name").fill("20260117_cleanup");
      await prisma.getByRole("checkbox", { name: "Prisma client regenerated" }).check();
      await prisma.getByRole("button", { name: "Record" }).click();
      const tests = step(9, "Test the application");
      await tests.getByRole("checkbox", { name: "Integration tests pass" }).check();
      await tests.getByRole("checkbox", { name: "Smoke tests pass" }).check();
      await tests.getByRole("button", { name: "Record test results" }).click();
      await step(10, "Mark service restored").getByRole("button", { name: "Service restored" }).click();
      await tickAll(11);
      await env.screenshot("runbook-scenario-3-done");
      await close("Column restored from a branch one second before the migration.");
      await page.getByRole("button", { name: "Back to runbooks" }).click();
    });

    test("the restore wizard makes a Neon branch at a point in time", async () => {
      const { page } = env;
      await openScreen(page, "Restore");
      await page.getByRole("radio", { name: /A Neon point in time/ }).check();
      await page.getByLabel(/^Point in time/).fill(new Date(Date.now() - 5_000).toISOString().slice(0, 19) + "Z");
      await page.getByRole("button", { name: "Next" }).click();
      await page.getByRole("radio", { name: /A new Neon branch/ }).check();
      await page.getByLabel("Branch name").fill("recovery-wizard-test");
      await page.getByRole("button", { name: "Next" }).click();
      const checks = await visible(page.getByRole("list", { name: "Pre-flight checks" }), 60_000);
      await visible(page.getByText("All blocking checks passed."), 60_000);
      await visible(checks.getByText(/Inside the history window/));
      await env.screenshot("restore-neon-preflight");
      await page.getByRole("button", { name: "Start restore", exact: true }).click();
      await visible(page.getByText("Restore finished. Continue to the verification."), 300_000);
      await page.getByRole("button", { name: "Next" }).click();
      await visible(page.getByText("BRANCH READY", { exact: true }));
      await visible(page.getByText("recovery-wizard-test", { exact: true }));
      await env.screenshot("restore-neon-branch");
    });

    test("Scenario 2: the database is lost; a recovery branch at the latest point brings the data back", async () => {
      const { page } = env;
      await env.sandbox.stageIncident("db-loss");
      await start("Scenario 2: Complete database loss", "Production database unreachable");
      const check = step(1, "Try a direct connection");
      await check.getByRole("button", { name: "Test the connection" }).click();
      await visible(check.getByText("DONE", { exact: true }), 60_000);
      await visible(check.getByRole("definition").filter({ hasText: /^no$/ }));
      const outage = step(2, "Confirm the Neon outage");
      await outage
        .getByLabel("What the status page says")
        .fill("All systems operational: our compute is down, not Neon");
      await outage.getByRole("button", { name: "Record outage status" }).click();
      const support = step(3, "Contact Neon support (CRITICAL)");
      await support.getByRole("button", { name: "Now: Contacted at (UTC)" }).click();
      await support.getByLabel("Ticket or thread reference").fill("NEON-4711");
      await support.getByRole("button", { name: "Record contact" }).click();
      const route = step(4, "Choose how to restore");
      await route.getByRole("radio", { name: "Neon: a branch at the latest available point" }).check();
      assert.equal(await route.getByLabel(/^Neon point in time/).inputValue(), "10 seconds ago");
      await route.getByRole("button", { name: "Record the decision" }).click();
      assert.equal(
        await page
          .getByRole("region", { name: "Step 6: Restore the latest backup into a new database" })
          .getByText("NOT APPLICABLE")
          .count(),
        1,
      );
      const branch = step(5, "Create a branch at the latest point");
      await branch.getByRole("button", { name: "Create recovery branch" }).click();
      await visible(branch.getByText(/^(DONE|FAILED)$/), 300_000);
      if (await branch.getByText("FAILED", { exact: true }).isVisible())
        assert.fail(`the branch was not made: ${await branch.getByRole("alert").allTextContents()}`);
      await visible(branch.getByText(/^recovery-\d{8}-\d{6}$/));
      const verify = step(7, "Verify data integrity");
      await verify.getByRole("checkbox", { name: "Counts look right" }).check();
      await verify.getByRole("button", { name: "Record verification" }).click();
      const reconnect = step(8, "Reconnect the application");
      await reconnect.getByRole("checkbox", { name: "DATABASE_URL points at the restored database" }).check();
      await reconnect.getByRole("checkbox", { name: "Application restarted or redeployed" }).check();
      await reconnect.getByRole("button", { name: "Record reconnection" }).click();
      await step(9, "Mark service restored").getByRole("button", { name: "Service restored" }).click();
      const notify = step(10, "Notify users");
      await notify.getByRole("checkbox", { name: "Status page updated" }).check();
      await notify.getByRole("button", { name: "Record notification" }).click();
      await tickAll(11);
      await env.screenshot("runbook-scenario-2-done");
      await close("Compute lost; recovery branch at the latest point, application repointed.");
    });
  },
);
