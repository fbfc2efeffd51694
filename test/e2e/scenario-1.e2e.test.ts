// Seed Scenario 1 driven as an operator would, in Debian Chromium against the browser host and the Neon sandbox: the
// mixed incident happens (notes deleted, prescriptions unlinked by the foreign key, patients' phone and email wiped, junk
// notes inserted; then legitimate writes on some of the same rows). From the dashboard to the runbook: find the
// corruption, branch before and after it, plan the repair, decide the conflicts, repair with typed confirmation, see
// verify stay red until the last damaged row is decided, close the incident, export the timeline.
import { after, before, describe, test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { TOKEN_HEADER } from "../../src/shared/api/bridge.ts";
import type { IncidentRecord } from "../../src/main/sandbox/index.ts";
import { e2eSkipReason, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import { openScreen, recordApiTraffic, region, visible } from "./ui.ts";

const skip = e2eSkipReason();

async function query(env: ConsoleEnv, sql: string, params: unknown[] = []): Promise<any[]> {
  const c = new pg.Client({ ...env.sandbox.connInfo()!, ssl: false });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

const countNotes = async (env: ConsoleEnv) =>
  Number((await query(env, `SELECT count(*) AS n FROM "ClinicalNote"`))[0].n);

interface Mixed {
  deletedNotes: number[];
  insertedNotes: number[];
  wipedPatients: number[];
  unlinkedPrescriptions: number[];
  editedAgain: { patients: number[]; prescriptions: number[] };
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
  let mixed: Mixed;
  let contactsBefore: { id: number; phone: string; email: string }[];
  let missing: string | null = null;
  let traffic: string[];
  const copiedPasswords: string[] = [];

  before(async () => {
    env = await startConsoleEnv();
    traffic = recordApiTraffic(env.page);
    contactsBefore = await query(env, `SELECT id, phone, email FROM "Patient" ORDER BY id`);
    incident = await env.sandbox.stageIncident("mixed");
    mixed = incident.details as unknown as Mixed;
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
    await form.getByLabel("Incident title").fill("Notes gone and patients without phone numbers");
    await form.getByLabel("Severity").selectOption("SEV1");
    await env.screenshot("runbook-start");
    await form.getByRole("button", { name: "Open incident and start" }).click();
    await visible(page.getByRole("timer", { name: "RTO clock" }));
    await visible(page.getByRole("region", { name: "Contacts" }).getByText("Amal Haddad"));
    await visible(page.getByRole("region", { name: "Escalation path" }).getByRole("listitem").first());
  });

  test("step 1-2: the audit log shows both bursts; the points and the tables come from it", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    await step(1, "Identify the corruption time").getByRole("button", { name: "Search the audit log" }).click();
    const bursts = await visible(page.getByRole("table", { name: "Identify the corruption time: result" }), 60_000);
    await visible(bursts.getByRole("row").filter({ hasText: "ClinicalNote" }).first());
    await visible(bursts.getByRole("row").filter({ hasText: "Patient" }).filter({ hasText: "UPDATE" }));
    const record = step(2, "Determine the recovery point");
    const point = await visible(record.getByLabel("Recovery point (UTC)"));
    // The audit may suggest the second before the sandbox's last good second (bursts are bucketed by second).
    const suggested = Date.parse(await point.inputValue());
    const lastGood = Date.parse(incident.lastGoodSecond);
    assert.ok(
      suggested <= lastGood && suggested >= lastGood - 1000,
      `${await point.inputValue()} vs ${incident.lastGoodSecond}`,
    );
    const damaged = Date.parse(await record.getByLabel("Damaged state (UTC), right after the incident").inputValue());
    assert.ok(damaged > Date.parse(incident.finishedAt), "the damaged state holds the whole incident");
    const tables = await record.getByLabel("Tables to repair (comma separated)").inputValue();
    assert.deepEqual(tables.split(", ").sort(), ["ClinicalNote", "Patient"]);
    await record.getByRole("button", { name: "Record the recovery point" }).click();
  });

  test("step 3-5: branches before and after the incident; the plan finds every class, the cascade included", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    await (
      await visible(step(3, "Create the recovery branch").getByRole("button", { name: "Create recovery branch" }))
    ).click();
    await visible(step(3, "Create the recovery branch").getByText(/^recovery-\d{8}-\d{6}$/), 300_000);
    // The runbook's manual commands need the branch's connection string: the copy button puts it on the clipboard
    // (with its password), shows it nowhere, and the string connects.
    await env.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: env.host.origin });
    const strings = step(3, "Create the recovery branch").getByRole("group", { name: /connection strings/ });
    for (const [button, pooled] of [
      ["Copy connection string", false],
      ["Copy pooled connection string", true],
    ] as const) {
      await strings.getByRole("button", { name: button, exact: true }).click();
      await visible(
        strings.getByText(`Copied the ${pooled ? "pooled" : "direct"} connection string`, { exact: false }),
      );
      const uri = await page.evaluate(() => navigator.clipboard.readText());
      const password = decodeURIComponent(new URL(uri).password);
      assert.ok(password.length >= 8, "the copied string carries the password");
      copiedPasswords.push(password);
      assert.equal(await page.getByText(password).count(), 0, "the password is not on the page");
      const c = new pg.Client({ connectionString: uri });
      await c.connect();
      try {
        assert.ok((await c.query(`SELECT count(*)::int AS n FROM "Patient"`)).rows[0].n > 0);
      } finally {
        await c.end();
      }
    }
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    for (const p of copiedPasswords) assert.equal(stored.includes(p), false, "nothing kept in web storage");
    const damagedStep = step(4, "Create the damaged-state branch");
    await (await visible(damagedStep.getByRole("button", { name: "Create damaged-state branch" }))).click();
    await visible(damagedStep.getByText(/^recovery-\d{8}-\d{6}$/), 300_000);
    const planStep = step(5, "Plan the repair");
    await planStep.getByRole("button", { name: "Plan the repair" }).click();
    const tables = await visible(planStep.getByRole("table", { name: "Plan the repair: result: tables" }), 180_000);
    // By the first cell: another table's "why" may name this one ("referred to by public.ClinicalNote").
    const row = (name: string) =>
      tables.getByRole("row").filter({ has: env.page.getByRole("cell", { name, exact: true }) });
    const cells = async (name: string) => (await row(name).getByRole("cell").allTextContents()).slice(1, 6);
    const d = mixed;
    assert.deepEqual(await cells("public.ClinicalNote"), [
      String(d.deletedNotes.length),
      "0",
      "0",
      String(d.insertedNotes.length),
      "1",
    ]);
    const pat = await cells("public.Patient");
    assert.deepEqual(pat.slice(0, 4), [
      "0",
      String(d.wipedPatients.length - d.editedAgain.patients.length),
      String(d.editedAgain.patients.length),
      "0",
    ]);
    const rx = await cells("public.Prescription");
    assert.deepEqual(rx.slice(0, 3), [
      "0",
      String(d.unlinkedPrescriptions.length - d.editedAgain.prescriptions.length),
      String(d.editedAgain.prescriptions.length),
    ]);
    await visible(row("public.Prescription").getByText(/refers to public.ClinicalNote .*SET NULL/));
    await env.screenshot("runbook-scenario-1-plan");
    void page;
  });

  test("step 5: conflicts side by side, decided row by row; one junk note removed, the plan exported", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const planStep = step(5, "Plan the repair");
    const [keepNow, takeBefore, perColumn] = mixed.editedAgain.patients;
    await planStep.getByRole("button", { name: "Rows of public.Patient" }).click();
    const rows = await visible(planStep.getByRole("region", { name: "Rows of public.Patient" }));
    await rows.getByLabel("Show").selectOption("conflict");
    const conflict = await visible(rows.getByLabel(`Row public.Patient ${keepNow}`, { exact: true }));
    await visible(
      conflict
        .getByRole("table", { name: `public.Patient ${keepNow}: columns` })
        .getByRole("row")
        .filter({ hasText: "phone" }),
    );
    await env.screenshot("runbook-scenario-1-conflicts");
    await rows.getByRole("button", { name: `Keep now public.Patient ${keepNow}`, exact: true }).click();
    await rows.getByRole("button", { name: `Take before public.Patient ${takeBefore}`, exact: true }).click();
    const mix = rows.getByLabel(`Row public.Patient ${perColumn}`, { exact: true });
    await mix.getByRole("checkbox", { name: "before email" }).check();
    await rows
      .getByRole("button", { name: `Take the checked columns public.Patient ${perColumn}`, exact: true })
      .click();
    await visible(mix.getByText("decided: per-column (email)"));
    await visible(rows.getByLabel(`Row public.Patient ${keepNow}`, { exact: true }).getByText("decided: keep-now"));

    await planStep.getByRole("button", { name: "Rows of public.Prescription" }).click();
    const rxRows = await visible(planStep.getByRole("region", { name: "Rows of public.Prescription" }));
    await rxRows.getByLabel("Show").selectOption("conflict");
    for (const id of mixed.editedAgain.prescriptions)
      await rxRows.getByRole("button", { name: `Take before public.Prescription ${id}`, exact: true }).click();

    await planStep.getByRole("button", { name: "Rows of public.ClinicalNote" }).click();
    const noteRows = await visible(planStep.getByRole("region", { name: "Rows of public.ClinicalNote" }));
    await noteRows.getByLabel("Show").selectOption("inserted");
    await noteRows
      .getByRole("button", { name: `Remove public.ClinicalNote ${mixed.insertedNotes[0]}`, exact: true })
      .click();
    await visible(
      noteRows
        .getByLabel(`Row public.ClinicalNote ${mixed.insertedNotes[0]}`, { exact: true })
        .getByText("decided: remove"),
    );

    await planStep.getByRole("button", { name: "Export plan as CSV" }).click();
    await visible(planStep.getByText(/^Saved \d+ row\(s\) as CSV: .*\.csv/));
  });

  test("step 6-7: dry run, then the repair of production only after the production name is typed", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const notesBefore = await countNotes(env);
    await step(6, "Dry run the repair").getByRole("button", { name: "Dry run" }).click();
    const dry = await visible(
      step(6, "Dry run the repair").getByRole("table", { name: "Dry run the repair: result" }),
      120_000,
    );
    await visible(
      dry
        .getByRole("row")
        .filter({ hasText: "public.ClinicalNote" })
        .filter({ hasText: String(mixed.deletedNotes.length) }),
    );
    assert.equal(await countNotes(env), notesBefore, "a dry run writes nothing");
    const repair = step(7, "Repair production");
    const confirm = await visible(repair.getByLabel("Type the production database name to confirm"));
    const go = repair.getByRole("button", { name: "Repair production" });
    await confirm.fill("neondb-prod");
    assert.equal(await go.isDisabled(), true, "a wrong name keeps the red button disabled");
    await confirm.fill("neondb");
    await go.click();
    await visible(repair.getByText("DONE", { exact: true }), 120_000);
    const byId = new Map(contactsBefore.map((p) => [p.id, p]));
    const now = await query(env, `SELECT id, phone, email FROM "Patient" WHERE id = ANY($1) ORDER BY id`, [
      mixed.wipedPatients,
    ]);
    const [keepNow, takeBefore, perColumn] = mixed.editedAgain.patients;
    for (const p of now) {
      const b = byId.get(p.id)!;
      if (p.id === keepNow) assert.equal(p.email, null, "keep now: production's row stays as the clinic left it");
      else if (p.id === perColumn) assert.deepEqual([p.phone === b.phone, p.email], [false, b.email]);
      else assert.deepEqual([p.phone, p.email], [b.phone, b.email], `patient ${p.id} (take before: ${takeBefore})`);
    }
    const unlinked = await query(
      env,
      `SELECT count(*)::int AS n FROM "Prescription" WHERE id = ANY($1) AND "noteId" IS NULL`,
      [mixed.unlinkedPrescriptions],
    );
    assert.equal(unlinked[0].n, 0, "every prescription the cascade unlinked points at its note again");
    assert.equal(await countNotes(env), notesBefore + mixed.deletedNotes.length - 1);
  });

  test("step 8: verify stays red until the last damaged row is decided; closing before that needs a reason", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    const verify = step(8, "Verify the repair");
    await verify.getByRole("button", { name: "Verify the repair" }).click();
    await visible(verify.getByText(/Damaged rows remain unrepaired without a decision/), 180_000);
    const remaining = await visible(verify.getByRole("table", { name: "Verify the repair: result: tables" }));
    assert.deepEqual(
      (
        await remaining.getByRole("row").filter({ hasText: "public.ClinicalNote" }).getByRole("cell").allTextContents()
      ).slice(1, 3),
      ["1", "0"],
    );
    await env.screenshot("runbook-scenario-1-verify-red");

    const close = await visible(page.getByRole("region", { name: "Close the incident" }));
    await close.getByRole("button", { name: "Close incident" }).click();
    await visible(close.getByText(/cannot be closed quietly: the last verify found 1 damaged row/));
    await visible(close.getByLabel("Reason to close with unrepaired damage"));

    await verify.getByRole("button", { name: "Remaining rows of public.ClinicalNote" }).click();
    const left = await visible(verify.getByRole("region", { name: "Rows of public.ClinicalNote" }));
    await left.getByRole("button", { name: `Keep public.ClinicalNote ${mixed.insertedNotes[1]}`, exact: true }).click();
    await visible(left.getByText("decided: keep"));
    await verify.getByRole("button", { name: "Retry: Verify the repair" }).click();
    await visible(verify.getByText("DONE", { exact: true }), 180_000);
  });

  test("step 9-11: application checked, service restored, checklist ticked", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const check = step(9, "Check the application");
    await check.getByRole("checkbox", { name: "The reported data is visible in the application again" }).check();
    await check.getByLabel("Notes").fill("Front desk confirms phone numbers are back; Dr Haddad's notes are back.");
    await check.getByRole("button", { name: "Record the check" }).click();
    await step(10, "Mark service restored").getByRole("button", { name: "Service restored" }).click();
    const list = await visible(step(11, "Post-recovery checklist").getByRole("group"));
    for (const item of await list.getByRole("checkbox").all()) await item.check();
    await visible(step(11, "Post-recovery checklist").getByText("DONE", { exact: true }), 30_000);
    await env.screenshot("runbook-scenario-1-done");
  });

  test("closing the incident and exporting its timeline", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    const { page } = env;
    const close = await visible(page.getByRole("region", { name: "Close the incident" }));
    await close
      .getByLabel("Resolution")
      .fill(
        "Mixed incident repaired from three states; conflicts decided row by row; verified with nothing undecided.",
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
    for (const s of [id, "forensics.apply", "Repair production", "Data repair verified", "Post-recovery checklist"])
      assert.ok(html.includes(s!), `the timeline mentions ${s}`);
    await env.screenshot("runbook-scenario-1-closed");

    await openScreen(page, "Journal");
    await page.getByRole("tab", { name: "Incidents" }).click();
    await page.getByRole("button", { name: `Open report of ${id}` }).click();
    const report = await visible(page.getByRole("region", { name: `Incident ${id}` }));
    await visible(report.getByText("CLOSED", { exact: true }));
    await env.screenshot("journal-incident-report");
  });

  test("no secret value ever reached the renderer, but for the copy buttons' own answers; no file holds one", async (t: TestContext) => {
    if (missing) return t.skip(missing);
    assert.equal(copiedPasswords.length, 2);
    // The copy buttons' answers are the only ones meant to carry a password (marked "revealed").
    const all = traffic.filter((b) => !b.includes('"revealed":true')).join("\n");
    for (const p of copiedPasswords)
      assert.equal(all.includes(p), false, "a copied password appeared in another answer");
    const files = (await readdir(env.dir, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !join(e.parentPath, e.name).startsWith(join(env.dir, "sandbox")))
      .map((e) => join(e.parentPath, e.name));
    assert.ok(files.some((f) => f.includes("journal")));
    for (const f of files) {
      const text = await readFile(f, "latin1");
      for (const p of copiedPasswords) assert.equal(text.includes(p), false, `${f} holds a copied password`);
    }
    for (const s of env.secrets)
      assert.equal(all.includes(s), false, `a secret (${s.slice(0, 3)}…) appeared in an API answer`);
  });
});
