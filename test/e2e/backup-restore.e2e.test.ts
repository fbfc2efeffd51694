// The console in browser mode against the Neon sandbox and a local S3: back up, verify, deep verify and restore from
// the screens, review the journal, edit settings, and keep working when the database is lost. A screenshot of each
// screen is saved to test-artifacts/screens.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { e2eSkipReason, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import { openScreen, recordApiTraffic, region, tabTo, visible } from "./ui.ts";

const skip = e2eSkipReason();

describe("console: backup, restore, journal, settings", { skip: skip ?? false, timeout: 600_000 }, () => {
  let env: ConsoleEnv;
  let traffic: string[];

  before(async () => {
    env = await startConsoleEnv();
    traffic = recordApiTraffic(env.page);
    // Desktop notifications allowed, and recorded as they are shown.
    await env.context.grantPermissions(["notifications"], { origin: env.host.origin });
    await env.context.addInitScript(
      "window.lbNotified = []; const N = window.Notification; window.Notification = class extends N { constructor(t, o) { super(t, o); window.lbNotified.push(t); } };",
    );
    await env.page.goto(env.host.url);
  });
  after(async () => {
    await env?.stop();
  });

  test("the dashboard shows the profile's state: reachable database, no backup yet (CRITICAL)", async () => {
    const { page } = env;
    const card = await visible(region(page, "Profile sandbox"));
    await visible(card.getByText("REACHABLE", { exact: true }));
    await visible(card.getByRole("list", { name: "Open alerts for sandbox" }).getByText("No backup exists"));
    assert.equal(new URL(page.url()).hash, "", "the token is wiped from the address bar");
  });

  test("a backup runs from the Backups screen with progress, and its manifest is shown", async () => {
    const { page } = env;
    await openScreen(page, "Backups");
    await page.getByRole("button", { name: "Run backup now" }).click();
    await visible(page.getByRole("progressbar", { name: "Backup" }), 10_000).catch(() => undefined);
    const done = await visible(page.getByRole("status").filter({ hasText: /committed/ }), 120_000);
    const id = (await done.locator("strong").textContent())!.trim();
    assert.match(id, /^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    const details = await visible(region(page, `Backup ${id} details`));
    const command = await details.getByLabel("Restore command").textContent();
    assert.match(command ?? "", /age -d/);
    assert.match(command ?? "", /pg_restore/);
    const tables = details.getByRole("table", { name: `Tables in backup ${id}` });
    assert.ok((await tables.getByRole("row").count()) > 5, "the manifest lists the clinical tables");
    await env.screenshot("backups");
  });

  test("verify and deep verify prove every table's row count", async () => {
    const { page } = env;
    const row = page.getByRole("table", { name: "Backups" }).getByRole("row").nth(1);
    await row.getByRole("button", { name: /^Verify backup/ }).click();
    const counts = await visible(
      page.getByRole("table", { name: "Row counts: manifest, archive and restore" }),
      120_000,
    );
    assert.ok((await counts.getByText("MATCH", { exact: true }).count()) > 5);
    const verdict = page.getByRole("region", { name: "Verify verdict" });
    await visible(verdict.getByText("PASS", { exact: true }));
    assert.match((await verdict.textContent()) ?? "", /is whole: .*pg_restore read all \d+ tables/);
    await row.getByRole("button", { name: /^Deep verify backup/ }).click();
    const bar = await visible(page.getByRole("progressbar", { name: "Deep verify" }), 30_000);
    assert.ok(await bar.getAttribute("aria-valuetext"), "the bar says how far it got");
    await env.screenshot("backups-deep-verify-progress");
    // One verdict and one table: the archive's counts and the restored copy's side by side, each column explained.
    const deepCounts = page.getByRole("table", { name: "Row counts: manifest, archive and restore" });
    await visible(deepCounts.getByRole("columnheader", { name: "Restored" }), 240_000);
    assert.equal(await deepCounts.getByText("DIFFERS").count(), 0);
    await visible(page.getByRole("region", { name: "Verify verdict" }).getByText(/restores: .*throwaway database/));
    await visible(page.getByText(/Each count is proven twice/));
    await env.screenshot("backups-verified");
  });

  test("the restore wizard restores the backup into a new database and proves the counts", async () => {
    const { page } = env;
    await openScreen(page, "Restore");
    await page.getByRole("radio", { name: /An off-site backup/ }).check();
    await env.screenshot("restore-1-source");
    await page.getByRole("button", { name: "Next" }).click();

    // Production needs its name typed; a wrong name keeps Next disabled.
    await page.getByRole("radio", { name: /Production, overwriting it/ }).check();
    const confirm = page.getByLabel("Type the production name to confirm");
    await confirm.fill("wrong");
    assert.equal(await page.getByRole("button", { name: "Next" }).isDisabled(), true);
    await confirm.fill("neondb");
    assert.equal(await page.getByRole("button", { name: "Next" }).isEnabled(), true);

    await page.getByRole("radio", { name: /A new database/ }).check();
    const name = await page.getByLabel("New database name").inputValue();
    assert.match(name, /^restored_\d{8}_\d{6}$/);
    await env.screenshot("restore-2-target");
    await page.getByRole("button", { name: "Next" }).click();

    const checks = await visible(page.getByRole("list", { name: "Pre-flight checks" }), 60_000);
    await visible(page.getByText("All blocking checks passed."), 60_000);
    assert.equal(await checks.getByText("FAIL", { exact: true }).count(), 0);
    await env.screenshot("restore-3-preflight");
    await page.getByRole("button", { name: "Start restore", exact: true }).click();

    await visible(page.getByText("Restore finished. Continue to the verification."), 240_000);
    await page.getByRole("button", { name: "Next" }).click();
    const verified = await visible(page.getByRole("table", { name: "Row counts against the manifest" }));
    assert.equal(await verified.getByText("DIFFERS").count(), 0);
    await visible(page.getByText(/^ALL \d+ TABLES MATCH$/));
    await env.screenshot("restore-5-verification");
    await page.getByRole("button", { name: "Next" }).click();
    await visible(page.getByRole("button", { name: "Open the post-recovery checklist" }));
    await env.screenshot("restore-6-next-steps");
  });

  test("the dashboard now shows the backup's age, the size chart and the restore test", async () => {
    const { page } = env;
    await openScreen(page, "Dashboard");
    await page.getByRole("button", { name: "Check again" }).click();
    const card = await visible(region(page, "Profile sandbox"));
    await visible(card.getByRole("img", { name: /Backup size over time for sandbox: 1 backups/ }), 30_000);
    await visible(card.getByText("PASSED", { exact: true }));
    await env.screenshot("dashboard");
  });

  test("the journal lists every operation, verifies its chain and exports", async () => {
    const { page } = env;
    await openScreen(page, "Journal");
    const table = await visible(page.getByRole("table", { name: "Journal records" }));
    await visible(table.getByRole("row").filter({ hasText: "backup." }));
    await page.getByRole("textbox", { name: "Search", exact: true }).fill("restore");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await visible(table.getByRole("row").filter({ hasText: /restore/ }));
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByRole("button", { name: "Verify the chain" }).click();
    await visible(page.getByText("Chain intact"));
    await page.getByLabel("Export format").selectOption("json");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export journal" }).click();
    const file = await (await download).path();
    const exported = JSON.parse(await readFile(file, "utf8"));
    assert.ok(JSON.stringify(exported).includes("backup"), "the export holds the backup records");
    await table
      .getByRole("button", { name: /^Record \d+ details$/ })
      .first()
      .click();
    await visible(page.getByRole("region", { name: /^Record \d+$/ }));
    await env.screenshot("journal");
  });

  test("settings: secrets are shown as set or missing only; a literal secret is refused; contacts are saved", async () => {
    const { page } = env;
    await openScreen(page, "Settings");
    const secrets = await visible(page.getByRole("table", { name: "Secrets" }));
    assert.ok((await secrets.getByText("SET ••••••••").count()) >= 4);
    await page.getByRole("button", { name: "Edit profile sandbox" }).click();
    const form = await visible(page.getByRole("form", { name: "Edit profile sandbox" }));
    await form.getByLabel("Password reference").fill("hunter2-literal");
    await form.getByRole("button", { name: "Save profile" }).click();
    await visible(form.getByText(/literal value, not a secret reference/));
    await form.getByLabel("Password reference").fill("env:LB_E2E_DB_PASSWORD");
    await form.getByRole("button", { name: "Add contact" }).click();
    await form.getByLabel("Contact 4 role").fill("CTO");
    await form.getByLabel("Contact 4 name").fill("Dr Amal");
    await form.getByLabel("Contact 4 email or phone").fill("cto@example.org");
    await env.screenshot("settings");
    await form.getByRole("button", { name: "Save profile" }).click();
    await visible(form.getByText("Saved."));
    const saved = JSON.parse(await readFile(`${env.dir}/config.json`, "utf8"));
    assert.deepEqual(saved.profiles[0].contacts.at(-1), { role: "CTO", name: "Dr Amal", contact: "cto@example.org" });
    assert.equal(saved.profiles[0].database.password, "env:LB_E2E_DB_PASSWORD");
  });

  test("dark theme by toggle", async () => {
    const { page } = env;
    await openScreen(page, "Dashboard");
    await page.getByRole("button", { name: /^Theme: system/ }).click();
    const background = () => page.getByRole("main").evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(), "rgb(13, 17, 23)", "dark background");
    await visible(region(page, "Profile sandbox"));
    await env.screenshot("dashboard-dark");
    await page.getByRole("button", { name: /^Theme: dark/ }).click();
    await page.getByRole("button", { name: /^Theme: light/ }).click();
    assert.equal(await background(), "rgb(244, 246, 248)", "back to the system's (light) scheme");
  });

  test("offline: with the database lost, the dashboard says unreachable (and notifies), and the journal still exports", async () => {
    const { page } = env;
    await env.sandbox.stageIncident("db-loss");
    await openScreen(page, "Dashboard");
    await page.getByRole("button", { name: "Check again" }).click();
    const card = await visible(region(page, "Profile sandbox"));
    await visible(card.getByText("Database: unreachable"), 60_000);
    await page.waitForFunction("window.lbNotified.some((t) => t === 'CRITICAL: Database unreachable')", undefined, {
      timeout: 10_000,
    });
    assert.deepEqual(
      await page.evaluate("window.lbNotified.filter((t) => t.includes('No backup exists'))"),
      [],
      "alerts already on screen at start did not notify",
    );
    await env.screenshot("dashboard-database-lost");
    await openScreen(page, "Journal");
    await page.getByLabel("Export format").selectOption("md");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Export journal" }).click();
    assert.match(await readFile(await (await download).path(), "utf8"), /backup/);
  });

  test("keyboard only: reach a screen, verify the journal chain, and open a runbook's start form", async () => {
    const { page } = env;
    await openScreen(page, "Dashboard");
    await tabTo(page, page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Journal" }));
    await page.keyboard.press("Enter");
    await visible(page.getByRole("heading", { level: 1, name: "Journal" }));
    await tabTo(page, page.getByRole("button", { name: "Verify the chain" }));
    await page.keyboard.press("Enter");
    await visible(page.getByText("Chain intact"));
    await tabTo(page, page.getByRole("navigation", { name: "Screens" }).getByRole("button", { name: "Runbooks" }));
    await page.keyboard.press("Enter");
    await tabTo(page, page.getByRole("button", { name: "Start Post-recovery checklist" }));
    await page.keyboard.press("Enter");
    await visible(page.getByRole("form", { name: "Start Post-recovery checklist" }));
    await tabTo(page, page.getByRole("button", { name: "Cancel" }));
    await page.keyboard.press("Enter");
  });

  test("no secret value ever reached the renderer", async () => {
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(traffic.length > 20, `recorded ${traffic.length} API answers`);
    const all = traffic.join("\n");
    for (const s of env.secrets)
      assert.equal(all.includes(s), false, `a secret (${s.slice(0, 3)}…) appeared in an API answer`);
  });
});
