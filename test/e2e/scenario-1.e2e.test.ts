// Seed Scenario 1 driven as an operator would, in Debian Chromium against the browser host and the Neon sandbox: a bulk
// delete happens; from the dashboard to the runbook, find the corruption time, branch at the last good second, compare,
// copy the rows back with typed confirmation, verify, tick the checklist, close the incident, export the timeline.
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { TOKEN_HEADER } from "../../src/shared/api/bridge.ts";
import type { IncidentRecord } from "../../src/main/sandbox/index.ts";
import { e2eSkipReason, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import { openScreen, recordApiTraffic, region, visible } from "./ui.ts";

const skip = e2eSkipReason();

async function countNotes(env: ConsoleEnv): Promise<number> {
  const c = new pg.Client({ ...env.sandbox.connInfo()!, ssl: false });
  await c.connect();
  try {
    return Number((await c.query(`SELECT count(*) AS n FROM "ClinicalNote"`)).rows[0].n);
  } finally {
    await c.end();
  }
}

/** The engine may not offer forensics yet (a build without it answers "not available"): then say so and skip. */
async function forensicsMissing(env: ConsoleEnv): Promise<string | null> {
  const r = await fetch(`${env.host.origin}/api/invoke`, {
    method: "POST",
    headers: { [TOKEN_HEADER]: env.host.token, "content-type": "application/json", origin: env.host.origin },
    body: JSON.stringify({ channel: "forensics.audit", payload: { profile: "sandbox" } }),
  });
  const body = (await r.json()) as { ok: boolean; error?: { message: string } };
  return !body.ok && /not available/.test(body.error?.message ?? "")
    ? `the engine has no forensics yet: ${body.error!.message}`
    : null;
}

describe("Scenario 1 (data corruption) end to end in the console", { skip: skip ?? false, timeout: 900_000 }, () => {
  let env: ConsoleEnv;
  let incident: IncidentRecord;
  let before_: number;
  let missing: string | null = null;
  let traffic: string[];

  before(async () => {
    env = await startConsoleEnv();
    traffic = recordApiTraffic(env.page);
    before_ = await countNotes(env);
    incident = await env.sandbox.stageIncident("bulk-delete");
    missing = await forensicsMissing(env);
    await env.page.goto(env.host.url);
  });
  after(async () => {
    await env?.stop();
  });

  const step = (n: number, title: string) => env.page.getByRole("region", { name: `Step ${n}: ${title}` });

  test("from the dashboard, the operator starts Scenario 1 and an incident opens with the RTO clock running", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    await visible(region(page, "Profile sandbox"));
    await openScreen(page, "Runbooks");
    await visible(page.getByRole("region", { name: "Weekly backup test" }));
    await env.screenshot("runbooks");
    await page.getByRole("button", { name: "Start Scenario 1: Data corruption" }).click();
    const form = await visible(page.getByRole("form", { name: "Start Scenario 1: Data corruption" }));
    await form.getByLabel("Incident title").fill("Clinical notes missing after cleanup job");
    await form.getByLabel("Severity").selectOption("SEV1");
    await env.screenshot("runbook-start");
    await form.getByRole("button", { name: "Open incident and start" }).click();
    await visible(page.getByRole("timer", { name: "RTO clock" }));
    await visible(page.getByRole("region", { name: "Contacts" }).getByText("Amal Haddad"));
    await visible(page.getByRole("region", { name: "Escalation path" }).getByRole("listitem").first());
  });

  test("step 1-2: the audit log shows the burst and the suggested recovery point is the last good second", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    await step(1, "Identify the corruption time").getByRole("button", { name: "Search the audit log" }).click();
    const bursts = await visible(page.getByRole("table", { name: "Identify the corruption time: result" }), 60_000);
    await visible(bursts.getByRole("row").filter({ hasText: "ClinicalNote" }).filter({ hasText: "DELETE" }));
    const point = await visible(step(2, "Determine the recovery point").getByLabel("Recovery point (UTC)"));
    // The sandbox's last good second is the whole second just before the delete; the audit may suggest the one before
    // it (a burst is bucketed by second). Either holds every note and none of the delete.
    const suggested = Date.parse(await point.inputValue());
    const lastGood = Date.parse(incident.lastGoodSecond);
    assert.ok(
      suggested <= lastGood && suggested >= lastGood - 1000,
      `suggested ${await point.inputValue()}, last good second ${incident.lastGoodSecond}`,
    );
    assert.equal(
      await step(2, "Determine the recovery point").getByLabel("Table to recover").inputValue(),
      "ClinicalNote",
    );
    await step(2, "Determine the recovery point").getByRole("button", { name: "Record the recovery point" }).click();
  });

  test("step 3-4: a recovery branch at that second, and the diff finds exactly the deleted rows", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const deleted = (incident.details as { deletedIds: number[] }).deletedIds.length;
    await (
      await visible(step(3, "Create the recovery branch").getByRole("button", { name: "Create recovery branch" }))
    ).click();
    await visible(step(3, "Create the recovery branch").getByText(/^recovery-\d{8}-\d{6}$/), 300_000);
    const compare = step(4, "Compare the branch with production");
    await compare.getByRole("button", { name: "Compare" }).click();
    const result = await visible(
      compare.getByRole("definition").filter({ hasText: new RegExp(`^${deleted}$`) }),
      120_000,
    );
    assert.ok(result, `${deleted} rows missing from production`);
    await env.screenshot("runbook-scenario-1-diff");
  });

  test("step 5-6: dry run, then the copy into production only after the production name is typed", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    await step(5, "Dry run the copy").getByRole("button", { name: "Dry run" }).click();
    const copy = step(6, "Copy the missing rows into production");
    const confirm = await visible(copy.getByLabel("Type the production database name to confirm"), 120_000);
    const go = copy.getByRole("button", { name: "Copy rows into production" });
    await confirm.fill("neondb-prod");
    assert.equal(await go.isDisabled(), true, "a wrong name keeps the red button disabled");
    assert.equal(
      await countNotes(env),
      before_ - (incident.details as { deletedIds: number[] }).deletedIds.length,
      "nothing copied yet",
    );
    await confirm.fill("neondb");
    await env.screenshot("runbook-scenario-1-confirm");
    await go.click();
    await visible(copy.getByText("DONE", { exact: true }), 120_000);
    assert.equal(await countNotes(env), before_, "production has its rows back");
  });

  test("step 7-10: counts verified, application checked, service restored, checklist ticked", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    await step(7, "Verify the counts").getByRole("button", { name: "Verify counts" }).click();
    await visible(step(7, "Verify the counts").getByText("DONE", { exact: true }), 120_000);
    const check = step(8, "Check the application");
    await check.getByRole("checkbox", { name: "The reported data is visible in the application again" }).check();
    await check.getByLabel("Notes").fill("Dr Haddad confirms her notes from this morning are back.");
    await check.getByRole("button", { name: "Record the check" }).click();
    await step(9, "Mark service restored").getByRole("button", { name: "Service restored" }).click();
    const list = await visible(step(10, "Post-recovery checklist").getByRole("group"));
    for (const item of await list.getByRole("checkbox").all()) await item.check();
    await visible(step(10, "Post-recovery checklist").getByText("DONE", { exact: true }), 30_000);
    await env.screenshot("runbook-scenario-1-done");
  });

  test("closing the incident and exporting its timeline", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    const close = await visible(page.getByRole("region", { name: "Close the incident" }));
    await close
      .getByLabel("Resolution")
      .fill(
        "Bulk delete of 42 notes by a cleanup job; rows copied back from a recovery branch at the last good second.",
      );
    await close.getByRole("button", { name: "Close incident" }).click();
    const closed = await visible(page.getByRole("region", { name: "Incident closed" }));
    const heading = (await closed.getByRole("heading").first().textContent()) ?? "";
    const id = /inc-\S+/.exec(heading)?.[0];
    assert.ok(id, heading);
    await closed.getByLabel("Export format").selectOption("html");
    const download = page.waitForEvent("download");
    await closed.getByRole("button", { name: "Export timeline" }).click();
    const html = await readFile(await (await download).path(), "utf8");
    for (const s of [id, "forensics.copy", "Copy the missing rows into production", "Post-recovery checklist"])
      assert.ok(html.includes(s!), `the timeline mentions ${s}`);
    await env.screenshot("runbook-scenario-1-closed");

    await openScreen(page, "Journal");
    await page.getByRole("tab", { name: "Incidents" }).click();
    await page.getByRole("button", { name: `Open report of ${id}` }).click();
    const report = await visible(page.getByRole("region", { name: `Incident ${id}` }));
    await visible(report.getByText("CLOSED", { exact: true }));
    await env.screenshot("journal-incident-report");
  });

  test("no secret value ever reached the renderer", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const all = traffic.join("\n");
    for (const s of env.secrets)
      assert.equal(all.includes(s), false, `a secret (${s.slice(0, 3)}…) appeared in an API answer`);
  });
});
