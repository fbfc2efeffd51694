// Issue 14: the console through an outage, as a DBA at 1024×700 (half a screen, beside a terminal) and at 1920×1080.
// The session link works once; an alert's button starts its fix; a sudden drop in record counts is an alert whose
// button opens the data-corruption runbook; detected-at, notes, decisions and follow-ups from the console; a closed
// incident takes no more records; every word survives every export format; the journal export honours the filters;
// the restore wizard's focus, scope and connection details; status polling writes nothing; and the store, the
// database and Neon each unreachable show what this machine's journal last saw, never "None".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Page } from "playwright-core";
import type { Profile } from "../../src/shared/config.ts";
import { e2eSkipReason, SCREENS_DIR, startConsoleEnv, type ConsoleEnv } from "./console-env.ts";
import { openScreen, region, tabTo, visible } from "./ui.ts";

const skip = e2eSkipReason();
const SMALL = { width: 1024, height: 700 };
const LARGE = { width: 1920, height: 1080 };
// 2,000 characters of an operator's words: the post-mortem and every export must keep all of them.
const LONG_NOTE =
  `Production was repaired by hand outside Lifeboat by the on-call DBA. ${"Rows checked one by one against the paper log. ".repeat(40)}`
    .slice(0, 1990)
    .concat(" END-OF-NOTE");

async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Nothing on the page is wider than the window: no sideways scrolling at this size. */
async function fitsWidth(page: Page): Promise<void> {
  const over = await page.evaluate(() => {
    const main = document.querySelector("main");
    const w = document.documentElement.clientWidth;
    // A table in a scrolling box would hide its last columns without a sign: none may need to scroll.
    const hidden = [...document.querySelectorAll("main .table-scroll")]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.querySelector("table")?.getAttribute("aria-label") ?? "a table");
    return {
      doc: document.documentElement.scrollWidth - w,
      main: main ? main.scrollWidth - main.clientWidth : 0,
      hidden,
    };
  });
  assert.ok(
    over.doc <= 1 && over.main <= 1 && over.hidden.length === 0,
    `wider than the window: ${JSON.stringify(over)}`,
  );
}

describe("console in an outage (issue 14)", { skip: skip ?? false, timeout: 900_000 }, () => {
  let env: ConsoleEnv;
  let original: Profile;
  let incidentId = "";

  const invoke = async (channel: string, payload: unknown): Promise<any> => {
    const r = await env.host.router.invoke(channel as "app.info", payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const shot = async (name: string, size = SMALL): Promise<void> => {
    await env.page.setViewportSize(size);
    await fitsWidth(env.page);
    await env.screenshot(`${name}-${size.width}`);
  };

  before(async () => {
    env = await startConsoleEnv();
    await env.page.setViewportSize(SMALL);
    await env.page.goto(env.host.url);
    original = await invoke("profiles.get", { name: "sandbox" });
  });
  after(async () => {
    await env?.stop();
  });

  test("the session link signs in one tab once: a reload keeps working, another browser is refused", async () => {
    const { page } = env;
    await visible(region(page, "Profile sandbox"));
    await page.reload();
    await visible(region(page, "Profile sandbox"));
    const other = await env.browser.newContext({ viewport: SMALL });
    try {
      const p = await other.newPage();
      await p.goto(env.host.url);
      await visible(p.getByText(/session link was already used/).first());
      await p.screenshot({ path: join(SCREENS_DIR, "session-link-refused-1024.png") });
      // A new link (Enter in the console's terminal) signs a new tab in.
      const fresh = await other.newPage();
      await fresh.goto(env.host.newLink());
      await visible(region(fresh, "Profile sandbox"));
    } finally {
      await other.close();
    }
  });

  test("an alert's button starts its fix: 'Back up now' runs the backup in place; a skip link leads to the screen", async () => {
    const { page } = env;
    await openScreen(page, "Dashboard");
    const card = await visible(region(page, "Profile sandbox"));
    const alert = await visible(card.getByRole("listitem", { name: /^CRITICAL: No backup/ }));
    await shot("dashboard-no-backup");
    await alert.getByRole("button", { name: "Back up now" }).click();
    // The backup runs in place; once it is committed the alert it fixed is gone and the counts are charted.
    await card.getByRole("listitem", { name: /^CRITICAL: No backup/ }).waitFor({ state: "detached", timeout: 180_000 });
    await page.getByRole("button", { name: "Check again" }).click();
    await visible(card.getByRole("table", { name: "Record counts per key table for sandbox" }), 60_000);
    assert.equal((await invoke("journal.query", { kind: "backup.run", outcome: "ok" })).total, 1);
    // The first Tab from the top lands on the skip link; it moves the focus into the screen.
    await page.reload();
    await visible(region(page, "Profile sandbox"));
    await page.keyboard.press("Tab");
    const skipLink = page.getByRole("link", { name: "Skip to the Dashboard screen" });
    assert.equal(await skipLink.evaluate((el) => el === document.activeElement), true, "the skip link comes first");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest("main")), true);
  });

  test("status polling writes no journal records", async () => {
    const { page } = env;
    const before = (await invoke("journal.query", { limit: 1 })).total;
    for (let i = 0; i < 3; i++) {
      await page.getByRole("button", { name: "Check again" }).click();
      await visible(region(page, "Profile sandbox").getByRole("heading", { name: "Neon history window" }));
      await page.waitForTimeout(500);
    }
    const status = await invoke("journal.query", { kind: "neon.status", limit: 1 });
    assert.equal(status.total, 0, "no neon.status records");
    const added = (await invoke("journal.query", { fromSeq: 1, limit: 100000 })).records.slice(before);
    assert.deepEqual(
      added.map((r: { kind: string }) => r.kind),
      [],
      "three refreshes wrote nothing",
    );
  });

  test("a sudden drop in record counts is a HIGH alert whose button opens the data-corruption runbook", async () => {
    const { page } = env;
    await env.sandbox.stageIncident("bulk-delete", undefined, { rows: 120 });
    await openScreen(page, "Backups");
    await page.getByRole("button", { name: "Run backup now" }).click();
    await visible(page.getByRole("status").filter({ hasText: /committed/ }), 180_000);
    await openScreen(page, "Dashboard");
    await page.getByRole("button", { name: "Check again" }).click();
    const card = await visible(region(page, "Profile sandbox"));
    const alert = await visible(card.getByRole("listitem", { name: /^HIGH: Record counts dropped/ }), 60_000);
    assert.match((await alert.textContent()) ?? "", /ClinicalNote/);
    await visible(card.getByRole("table", { name: "Record counts per key table for sandbox" }).getByText(/^DROP /));
    await shot("dashboard-record-drop");
    await shot("dashboard-record-drop", LARGE);
    await env.page.setViewportSize(SMALL);
    await alert.getByRole("button", { name: "Start the data-corruption runbook" }).click();
    const form = await visible(page.getByRole("form", { name: /^Start Scenario 1/ }));
    await form.getByLabel("Incident title").fill("Clinical notes vanished overnight");
    const detected = new Date(Date.now() - 20 * 60_000).toISOString().slice(0, 19) + "Z";
    await form.getByLabel("Detected at (UTC, ISO 8601; empty = now)").fill(detected);
    await shot("runbook-start-form");
    await form.getByRole("button", { name: "Open incident and start" }).click();
    await visible(page.getByRole("timer", { name: "RTO clock" }));
    incidentId = (await invoke("incidents.list", {})).current;
    assert.ok(incidentId, "an incident is open");
    const report = await invoke("incidents.get", { id: incidentId });
    assert.equal(report.detectedAt, new Date(detected).toISOString(), "the RTO clock runs from detection");
    assert.equal(report.drill, false);
  });

  test("notes, decisions and follow-ups from the console; detected at corrected; a closed incident takes no more", async () => {
    const { page } = env;
    const log = await visible(page.getByRole("region", { name: "Incident log" }));
    const add = async (kind: string, text: string) => {
      await log.getByRole("radio", { name: kind, exact: true }).check();
      await log.getByLabel("What happened, what was decided, what is left to do").fill(text);
      await log.getByRole("button", { name: "Add to the incident" }).click();
      await visible(log.getByRole("status").filter({ hasText: `${kind} recorded as journal record` }));
    };
    await add("Note", LONG_NOTE);
    await add("Decision", "Restore the notes from the recovery branch, not from last night's dump.");
    await add("Follow-up", "Alert on record counts hourly, not only at backup time.");
    const entries = log.getByRole("list", { name: "Notes, decisions and follow-ups" });
    await visible(entries.getByText(/END-OF-NOTE$/));
    const detected = page.getByRole("region", { name: "Detected at" }).first();
    await detected.getByRole("button", { name: "Correct detected at" }).click();
    const earlier = new Date(Date.now() - 45 * 60_000).toISOString().slice(0, 19) + "Z";
    await detected.getByLabel("Detected at (UTC, ISO 8601)").fill(earlier);
    await detected.getByLabel("Why (where the earlier time comes from)").fill("first user complaint at the desk");
    await detected.getByRole("button", { name: "Save detected at" }).click();
    await page.waitForTimeout(500);
    const report = await invoke("incidents.get", { id: incidentId });
    assert.equal(report.detectedAt, new Date(earlier).toISOString());
    assert.ok(report.detectedAtOriginal, "the first detection time is kept");
    assert.equal(report.notes[0].text, LONG_NOTE);
    await shot("incident-log");
    await shot("incident-log", LARGE);
    await env.page.setViewportSize(SMALL);

    // An emergency snapshot during the incident leaves a branch: the close lists it, reminds of it after, deletes it.
    const snap = await invoke("neon.snapshot", { profile: "sandbox" });
    const close = page.getByRole("region", { name: "Close the incident" });
    await (await visible(close.getByRole("button", { name: "Look again" }), 60_000)).click();
    const left = await visible(close.getByRole("list", { name: "Recovery branches" }), 60_000);
    const branch = left.getByRole("listitem").filter({ hasText: snap.branch.name });
    await visible(branch.getByText("MADE IN THIS INCIDENT"));
    await shot("incident-close-leftovers");
    await close.getByLabel("Resolution").fill("Notes restored from the recovery branch.");
    await close.getByRole("button", { name: "Close incident" }).click();
    await visible(page.getByRole("region", { name: "Incident closed" }));
    const reminder = await visible(
      page.getByRole("alert").filter({ hasText: "Reminder: clean up what the recovery left" }),
    );
    assert.ok(((await reminder.textContent()) ?? "").includes(`Still there: 1 Neon branch (${snap.branch.name})`));
    await shot("incident-closed-reminder");
    await page.getByRole("button", { name: `Delete branch ${snap.branch.name}` }).click();
    await visible(page.getByRole("status").filter({ hasText: `Deleted: branch ${snap.branch.name}` }), 60_000);
    // The record is final, from every face: the console's log and the engine both refuse more.
    await visible(page.getByText("The incident is closed: its record is final.").first());
    await assert.rejects(invoke("incidents.note", { incident: incidentId, text: "late" }), /INCIDENT_CLOSED/);
    await openScreen(page, "Journal");
    await page.getByRole("tab", { name: "Incidents" }).click();
    await page.getByRole("button", { name: `Open report of ${incidentId}` }).click();
    await visible(page.getByText("The incident is closed: its record is final."));
  });

  test("the post-mortem and every export keep the 2,000-character note whole", async () => {
    const { page } = env;
    const words = await visible(page.getByText(/END-OF-NOTE/).first());
    assert.equal(((await words.textContent()) ?? "").includes(LONG_NOTE), true, "the post-mortem shows all of it");
    await shot("incident-post-mortem");
    const panel = page.getByRole("group", { name: "Export this incident's timeline" });
    for (const format of ["html", "md", "json", "csv"]) {
      await panel.getByLabel("Export format").selectOption(format);
      const download = page.waitForEvent("download");
      await panel.getByRole("button", { name: "Export timeline" }).click();
      const text = await readFile((await (await download).path())!, "utf8");
      const inFile =
        format === "json"
          ? JSON.stringify(JSON.parse(text)).includes(JSON.stringify(LONG_NOTE).slice(1, -1))
          : text.includes(LONG_NOTE);
      assert.equal(inFile, true, `${format} keeps every word`);
    }
  });

  test("the journal export holds exactly what the filters select", async () => {
    const { page } = env;
    await page.getByRole("tab", { name: "Records" }).click();
    await page.getByRole("textbox", { name: "Search", exact: true }).fill("repaired by hand");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const table = await visible(page.getByRole("table", { name: "Journal records" }));
    // The list's one line says it is shortened and how long the whole is; the record's details hold every word.
    const row = await visible(table.getByRole("row").filter({ hasText: /Note: Production was repaired by hand/ }));
    assert.match((await row.textContent()) ?? "", /… \(\d[\d,]* chars in full\)/);
    // …and the marker is in view, not cut off behind the summary's ellipsis, at this width too.
    const marker = await visible(row.getByText(/^\(\d[\d,]* chars in full\)$/));
    const [cell, mark] = [await row.getByRole("cell").nth(4).boundingBox(), await marker.boundingBox()];
    assert.ok(
      cell && mark && mark.x >= cell.x && mark.x + mark.width <= cell.x + cell.width + 0.5,
      JSON.stringify({ cell, mark }),
    );
    await row.getByRole("button", { name: /^Record \d+ details$/ }).click();
    const full = await visible(page.getByRole("region", { name: /^Record \d+$/ }).getByText(/END-OF-NOTE$/));
    assert.equal(await full.textContent(), LONG_NOTE);
    await shot("journal-filtered");
    await shot("journal-filtered", LARGE);
    await env.page.setViewportSize(SMALL);
    const panel = page.getByRole("group", { name: /Export/ }).first();
    await panel.getByLabel("Export format").selectOption("json");
    const download = page.waitForEvent("download");
    await panel.getByRole("button", { name: "Export journal" }).click();
    const exported = JSON.parse(await readFile((await (await download).path())!, "utf8"));
    const records = exported.records as { details?: { text?: string } }[];
    assert.equal(records.length, 1, "only the note the search found");
    assert.equal(records[0]!.details?.text, LONG_NOTE);
    await page.getByRole("button", { name: "Clear filters" }).click();
  });

  test("the restore wizard: focus to each step's heading, some tables only, the new database's details to copy", async () => {
    const { page } = env;
    await openScreen(page, "Restore");
    await page.getByRole("radio", { name: /An off-site backup/ }).check();
    const next = page.getByRole("button", { name: "Next" });
    await tabTo(page, next);
    await page.keyboard.press("Enter");
    const focused = await page.evaluate(() => document.activeElement?.tagName);
    assert.match(focused ?? "", /^H[1-3]$/, "the focus is on the new step's heading");
    await page.getByRole("radio", { name: /A new database/ }).check();
    await page.getByRole("radio", { name: /Only some tables/ }).check();
    await page
      .getByRole("checkbox", { name: /"?Patient"?\b/ })
      .first()
      .check();
    await shot("restore-target");
    await page.getByRole("button", { name: "Next" }).click();
    await visible(page.getByText("All blocking checks passed."), 60_000);
    await page.getByRole("button", { name: "Start restore", exact: true }).click();
    await visible(page.getByText("Restore finished. Continue to the verification."), 240_000);
    await page.getByRole("button", { name: "Next" }).click();
    const details = await visible(page.getByRole("region", { name: "Connect to the new database" }));
    assert.match((await details.textContent()) ?? "", /postgresql:\/\/[^@]+@127\.0\.0\.1:\d+\/restored_\d{8}_\d{6}/);
    assert.match((await details.textContent()) ?? "", /env:LB_E2E_DB_PASSWORD/);
    await shot("restore-connection-details");
    await shot("restore-connection-details", LARGE);
    await env.page.setViewportSize(SMALL);
  });

  test("offline: the store, the database and Neon each unreachable show this machine's journal's last word", async () => {
    const { page } = env;
    const port = await deadPort();
    const cases: [string, Profile, RegExp][] = [
      [
        "store",
        { ...original, storage: { ...original.storage, endpoint: `http://127.0.0.1:${port}` } as Profile["storage"] },
        /Store unreachable; last known backup \d/,
      ],
      ["database", { ...original, database: { ...original.database, port } }, /Database unreachable; last answered \d/],
      [
        "neon",
        { ...original, neon: { ...original.neon!, apiHost: `http://127.0.0.1:${port}/api/v2` } },
        /Neon API unreachable; last answered \d/,
      ],
    ];
    try {
      for (const [what, profile, said] of cases) {
        await invoke("profiles.save", { profile });
        await openScreen(page, "Dashboard");
        await page.getByRole("button", { name: "Check again" }).click();
        const card = await visible(region(page, "Profile sandbox"));
        await visible(card.getByText(said), 120_000);
        const text = (await card.textContent()) ?? "";
        assert.doesNotMatch(text, /\bNone\b/, `${what}: never "None"`);
        assert.match(text, /from this machine's journal/);
        await shot(`dashboard-offline-${what}`);
        if (what === "store") await shot(`dashboard-offline-${what}`, LARGE);
        await env.page.setViewportSize(SMALL);
      }
    } finally {
      await invoke("profiles.save", { profile: original });
    }
  });

  test("every screen fits 1024×700 and 1920×1080 without sideways scrolling", async () => {
    const { page } = env;
    for (const size of [SMALL, LARGE]) {
      await page.setViewportSize(size);
      for (const screen of ["Dashboard", "Backups", "Restore", "Runbooks", "Journal", "Settings"]) {
        // The runbook's runner replaces the Runbooks heading while its incident is shown.
        await page
          .getByRole("navigation", { name: "Screens" })
          .getByRole("button", { name: screen, exact: true })
          .click();
        await page.waitForTimeout(500);
        await fitsWidth(page);
      }
    }
    await page.setViewportSize(SMALL);
    await openScreen(page, "Journal");
    await shot("journal");
  });
});
