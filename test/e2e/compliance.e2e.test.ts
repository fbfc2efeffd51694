// The Compliance screen in Chromium over a generated year of real evidence (a journal written through an injected
// clock, a folder store holding every manifest and age-encrypted archive, a practice journal) and a second profile
// whose store cannot be reached: each verdict on the screen is the engine's from that evidence, with its citations
// (journal seq and hash, manifest key and sha256) and what could not be seen; the exports are the engine's, the JSON
// verifying on its own.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { startBrowserHost, type BrowserHost } from "../../src/main/browser-host/start-browser-host.ts";
import { buildComplianceReport, type ReportRequest } from "../../src/main/compliance/build-report.ts";
import { verifyReportFile } from "../../src/main/compliance/verify-report.ts";
import { IndexedJournalReader } from "../../src/main/journal/journal-reader.ts";
import { FolderStore } from "../../src/main/storage/folder-store.ts";
import { Profile, type ProfileInput } from "../../src/shared/config.ts";
import type { ComplianceReport } from "../../src/shared/compliance/compliance-report.ts";
import { itemHeading, VERDICT_LABEL } from "../../src/shared/compliance/report-text.ts";
import { FAULTY_YEAR, generateYear, type Year } from "../main/compliance/year-of-evidence.ts";
import { buildRendererForTests } from "./build-renderer.ts";
import { e2eSkipReason, launchChromium, SCREENS_DIR } from "./console-env.ts";
import { openScreen, visible } from "./ui.ts";

const skip = e2eSkipReason();

describe("console: the compliance report", { skip: skip ?? false, timeout: 600_000 }, () => {
  let dir: string;
  let year: Year;
  let host: BrowserHost;
  let browser: Browser;
  let page: Page;
  let expected: ComplianceReport;
  const lab: ProfileInput = {
    name: "lab",
    database: { host: "127.0.0.1", database: "lab", user: "lab", sslmode: "disable" },
    storage: {
      kind: "s3",
      bucket: "lab-backups",
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:1",
      forcePathStyle: true,
      accessKeyId: "env:LAB_KEY",
      secretAccessKey: "env:LAB_SECRET",
    },
    encryption: { recipients: [] },
  };

  /** The report the engine makes from the same evidence, called directly: what the screen must show. */
  const engineReport = async (req: ReportRequest) =>
    (
      await buildComplianceReport(req, {
        profiles: [Profile.parse(year.profile)],
        store: async () => new FolderStore(year.storeDir),
        journal: new IndexedJournalReader(year.journalDir),
        practiceDirs: [year.practiceDir],
        now: year.now,
        timeoutMs: 10_000,
      })
    ).report;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lifeboat-compliance-e2e-"));
    year = await generateYear(dir, FAULTY_YEAR);
    lab.encryption = { recipients: (year.profile.encryption as { recipients: string[] }).recipients };
    // The console reads training from the practice world beside the sandbox: <sandbox>-console/journal.
    await symlink(join(dir, "practice"), join(dir, "sandbox-console"));
    const configPath = join(dir, "config.json");
    await writeFile(configPath, JSON.stringify({ version: 1, profiles: [year.profile, lab] }), { mode: 0o600 });
    // The report is made two days after the generated year: the default period is the twelve months before.
    expected = await engineReport({ controlSet: "hipaa" });
    host = await startBrowserHost({
      configPath,
      journalDir: year.journalDir,
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        LIFEBOAT_SANDBOX_DIR: join(dir, "sandbox"),
        LIFEBOAT_EXPORTS_DIR: join(dir, "exports"),
        LAB_KEY: "AKIAEXAMPLE",
        LAB_SECRET: "not-a-real-secret",
      },
      now: () => year.now,
      rendererDir: await buildRendererForTests(),
      build: false,
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await page.goto(host.url);
  });
  after(async () => {
    await browser?.close();
    await host?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const verdictRow = (name: string) => page.getByRole("table", { name: "Verdicts" }).getByRole("row", { name });

  test("by default: every profile, the twelve months up to now, each verdict the engine's from the evidence", async () => {
    await openScreen(page, "Compliance");
    const summary = await visible(page.getByRole("region", { name: "Summary" }), 120_000);
    await visible(summary.getByText("2025-01-02 09:00:00 UTC to 2026-01-02 09:00:00 UTC"));
    await visible(summary.getByText("clinic, lab"));
    // The unreachable store is named, not passed.
    const unseen = summary.getByRole("region", { name: "What this report could not see" });
    await visible(unseen.getByText(/lab: the backup store s3:\/\/lab-backups/));
    for (const i of expected.items) {
      const row = verdictRow(itemHeading(i));
      await visible(row.getByText(VERDICT_LABEL[i.verdict], { exact: true }));
    }
    const lab = verdictRow("Encrypted backup storage — lab");
    await visible(lab.getByText("NOT EVIDENCED", { exact: true }));
  });

  test("each item shows its findings and its citations: the failed drill by seq and hash, manifests by sha256", async () => {
    const drills = page.getByRole("article", { name: "Quarterly DR tests — clinic" });
    await visible(drills.getByText("FAIL", { exact: true }));
    await visible(drills.getByRole("list", { name: /^Findings/ }).getByText(/^2025 Q3: 1 drill, none passed/));
    const failed = year.records.drills[2]!;
    const cites = drills.getByRole("list", { name: /^Evidence/ });
    await visible(cites.getByText(new RegExp(`record #${failed.seq} \\(drill\\.restore, .*\\), hash ${failed.hash}$`)));

    const daily = page.getByRole("article", { name: "Daily automated backups — clinic" });
    await visible(daily.getByText("FAIL", { exact: true }));
    await visible(
      daily.getByText(
        /after the backup of 2025-02-09 02:00:00 UTC to the next at 2025-02-12 02:00:00 UTC: 3 d without one/,
      ),
    );

    const retention = page.getByRole("article", { name: "7-year retention policy — clinic" });
    // The oldest and the newest retained backup, each by its manifest's key and sha256.
    for (const id of [year.ids.get(0)!, year.ids.get(364)!])
      await visible(
        retention
          .getByRole("list", { name: /^Evidence/ })
          .getByText(`manifest clinic/${id}/manifest.json (primary store), sha256 ${year.manifestSha.get(id)}`),
      );
  });

  test("a chosen profile, period and control set: AWS Backup Audit Manager's controls over 2025", async () => {
    const form = page.getByRole("form", { name: "What the report covers" });
    await form.getByLabel("Profile").selectOption("clinic");
    await form.getByLabel("From (UTC day)").fill("2025-01-01");
    await form.getByLabel("To (UTC day)").fill("2025-12-31");
    await form.getByLabel("Controls").selectOption("aws-backup");
    await form.getByRole("button", { name: "Evaluate" }).click();
    const summary = page.getByRole("region", { name: "Summary" });
    await visible(summary.getByText("2025-01-01 00:00:00 UTC to 2025-12-31 23:59:59 UTC"), 120_000);
    await visible(summary.getByText("AWS Backup Audit Manager controls", { exact: false }));
    const aws = await engineReport({ controlSet: "aws-backup", from: "2025-01-01", to: "2025-12-31" });
    for (const i of aws.items)
      await visible(verdictRow(itemHeading(i)).getByText(VERDICT_LABEL[i.verdict], { exact: true }));
    assert.equal(await page.getByRole("table", { name: "Verdicts" }).getByRole("row").count(), aws.items.length + 1);
    await visible(summary.getByRole("region", { name: "What this report could not see" }).getByText(/^Nothing/));
    await mkdir(SCREENS_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENS_DIR, "compliance.png"), fullPage: false });
  });

  test("exports: the JSON verifies on its own, the PDF is Chromium's, HTML and Markdown; each journaled with its sha256", async () => {
    const exporter = page.getByRole("group", { name: "Export the compliance report" });
    await exporter.getByLabel("Report format").selectOption("json");
    const [json] = await Promise.all([
      page.waitForEvent("download"),
      exporter.getByRole("button", { name: "Export report" }).click(),
    ]);
    assert.equal(json.suggestedFilename(), "lifeboat-compliance-aws-backup-2025-01-01-to-2025-12-31.json");
    const file = join(dir, "report.json");
    await json.saveAs(file);
    const checked = await verifyReportFile(file);
    assert.deepEqual(checked.problems, []);
    assert.equal(checked.rederived, true);
    const sha = createHash("sha256")
      .update(await readFile(file))
      .digest("hex");
    await visible(exporter.getByRole("status").getByText(new RegExp(`sha256 ${sha}\\)`)));

    const download = async (format: string): Promise<Buffer> => {
      await exporter.getByLabel("Report format").selectOption(format);
      const [d] = await Promise.all([
        page.waitForEvent("download", { timeout: 120_000 }),
        exporter.getByRole("button", { name: "Export report" }).click(),
      ]);
      const saved = join(dir, `report.${format}`);
      await d.saveAs(saved);
      return readFile(saved);
    };
    assert.equal((await download("pdf")).subarray(0, 5).toString(), "%PDF-");
    const html = (await download("html")).toString();
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /AWS Backup Audit Manager controls<\/title>/);
    const md = (await download("md")).toString();
    assert.match(md, /^# Compliance report: AWS Backup Audit Manager controls\n/);
    assert.match(md, /- Period: 2025-01-01 00:00:00 UTC to 2025-12-31 23:59:59 UTC\n/);

    const journal = new IndexedJournalReader(year.journalDir);
    const exports = (await journal.query({ kind: "compliance.export" })).records;
    assert.deepEqual(
      exports.map((r) => r.details.format),
      ["json", "pdf", "html", "md"],
    );
    assert.equal(exports[0]!.details.sha256, sha);
  });
});
