// The Fleet screen in Chromium, read from the stores: three profiles whose jobs ran by themselves, one healthy, one
// whose last backup is days old, one whose scheduled backup failed; each row says which machine ran what.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startBrowserHost, type BrowserHost } from "../../src/main/browser-host/start-browser-host.ts";
import { runDue } from "../../src/main/schedule/run-due.ts";
import { MANIFEST_NAME } from "../../src/shared/manifest.ts";
import { startScheduleEnv, type ScheduleEnv } from "../harness/schedule-env.ts";
import { buildRendererForTests } from "./build-renderer.ts";
import { e2eSkipReason, launchChromium, SCREENS_DIR } from "./console-env.ts";
import { openScreen, visible } from "./ui.ts";

const skip = e2eSkipReason();

describe("console: the fleet view", { skip: skip ?? false, timeout: 300_000 }, () => {
  let w: ScheduleEnv;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;

  before(async () => {
    w = await startScheduleEnv();
    const daily = { timezone: "UTC", backup: "daily at 02:00", verify: "weekly on sunday at 03:00" };
    const clinic = w.profile("clinic", { schedule: daily });
    const lab = w.profile("lab", { schedule: { timezone: "UTC", backup: "daily at 02:00" } });
    const billing = w.profile("billing", { schedule: { ...daily, retry: { attempts: 1 } } });
    const down = w.profile("billing", { ...billing, database: { ...billing.database, port: 1 } } as never);
    w.clock.set(new Date().toISOString());
    assert.equal((await runDue([clinic], w.deps())).exitCode, 0);
    // The lab's last backup is four days old: its real backup is copied back in time under an older id.
    assert.equal((await runDue([lab], w.deps(), { job: "backup" })).exitCode, 0);
    const store = await w.deps().store(lab);
    const keys = (await store.list("lab/")).map((o) => o.key);
    const old = new Date(Date.now() - 4 * 86_400_000);
    const oldId = `${old
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z")}-0001`;
    for (const key of keys) {
      const body = await store.getSmall(key);
      if (key.endsWith(MANIFEST_NAME)) {
        const m = JSON.parse(body.toString());
        await store.delete(key);
        // A manifest names only the object beside it, so the whole backup moves to the older folder.
        m.object.key = m.object.key.replace(`/${m.id}/`, `/${oldId}/`);
        if (m.config) m.config.key = m.config.key.replace(`/${m.id}/`, `/${oldId}/`);
        m.id = oldId;
        m.startedAt = m.finishedAt = old.toISOString();
        await store.putSmall(`lab/${oldId}/${MANIFEST_NAME}`, JSON.stringify(m));
      } else await store.delete(key);
    }
    assert.equal((await runDue([down], w.deps())).runs[0]!.status, "failed");
    const configPath = join(w.dir, "fleet-config.json");
    await writeFile(configPath, JSON.stringify({ version: 1, profiles: [clinic, lab, billing] }), { mode: 0o600 });
    host = await startBrowserHost({
      configPath,
      journalDir: join(w.dir, "journal"),
      env: w.env,
      rendererDir: await buildRendererForTests(),
      build: false,
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1600, height: 1000 } })).newPage();
    await page.goto(host.url);
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await w?.stop();
  });

  test("every profile's last backup, test, drill, runs and alerts, with the machine that ran them", async () => {
    await openScreen(page, "Fleet");
    const table = await visible(page.getByRole("table", { name: "Profiles in the fleet" }));
    const row = (name: string) => table.getByRole("row", { name: `Profile ${name}` });
    await visible(row("clinic").getByText("OK", { exact: true }));
    await visible(row("clinic").getByText(/verify\.deep/));
    await visible(row("clinic").getByText(new RegExp(`backup: ok .* on ${hostname()} \\(test\\)`)));

    await visible(row("lab").getByText("CRITICAL", { exact: true }));
    await visible(row("lab").getByText(/Last backup is too old/));
    await visible(row("lab").getByText(/4 days|4 d|96 h|days ago/));

    await visible(row("billing").getByText("CRITICAL", { exact: true }));
    await visible(row("billing").getByText(/backup: failed/));
    await visible(row("billing").getByText(/cannot connect|refused|unreachable/i));
    await visible(page.getByRole("status").filter({ hasText: "2 CRITICAL" }));
    const alerts = page.getByRole("list", { name: "Fleet alerts" });
    await visible(alerts.getByText("Scheduled backup failed"));
    await page.screenshot({ path: join(SCREENS_DIR, "fleet.png"), fullPage: true });
  });
});
