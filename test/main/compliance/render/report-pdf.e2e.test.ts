// The report as an auditor receives it: the HTML opened in Chromium (each verdict and its evidence on the page), and
// the PDF Chromium prints from it, its pages rendered to images with poppler's pdftoppm for a person to look at
// (test-artifacts/compliance/). A missing Chromium is a clear error, not a crash.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Profile } from "../../../../src/shared/config.ts";
import type { ComplianceReport } from "../../../../src/shared/compliance/compliance-report.ts";
import { buildComplianceReport } from "../../../../src/main/compliance/build-report.ts";
import { reportHtml } from "../../../../src/main/compliance/render/report-html.ts";
import { htmlToPdf } from "../../../../src/main/compliance/render/report-pdf.ts";
import { reportTitle } from "../../../../src/shared/compliance/report-text.ts";
import { IndexedJournalReader } from "../../../../src/main/journal/journal-reader.ts";
import { FolderStore } from "../../../../src/main/storage/folder-store.ts";
import { CHROMIUM, launchChromium } from "../../../e2e/console-env.ts";
import { FAULTY_YEAR, generateYear } from "../year-of-evidence.ts";

const ARTIFACTS = join(process.cwd(), "test-artifacts", "compliance");
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}`;
let dir: string;
let report: ComplianceReport;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-compliance-pdf-"));
  const y = await generateYear(dir, FAULTY_YEAR);
  report = (
    await buildComplianceReport(
      { controlSet: "hipaa", from: y.from, to: y.to },
      {
        profiles: [Profile.parse(y.profile)],
        store: async () => new FolderStore(y.storeDir),
        journal: new IndexedJournalReader(y.journalDir),
        practiceDirs: [y.practiceDir],
        now: y.now,
        timeoutMs: 10_000,
        actor: { user: "amal.dba", host: "dr-laptop" },
      },
    )
  ).report;
  await mkdir(ARTIFACTS, { recursive: true });
});
after(() => rm(dir, { recursive: true, force: true }));

describe("the compliance report in Chromium", { skip }, () => {
  test("a LIFEBOAT_CHROMIUM that does not exist is a tools error naming it", async () => {
    await assert.rejects(
      htmlToPdf("<p>x</p>", { LIFEBOAT_CHROMIUM: join(dir, "nope") }, "t"),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "TOOLS_MISSING");
        assert.match(e.message, /nope, which does not exist/);
        return true;
      },
    );
  });

  test("the HTML shows every item's verdict and its citations", async () => {
    const html = reportHtml(report);
    await writeFile(join(ARTIFACTS, "report.html"), html);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      await page.setContent(html, { waitUntil: "load" });
      const text = await page.locator("body").innerText();
      for (const i of report.items) assert.ok(text.includes(i.title), `${i.title} is not on the page`);
      assert.match(text, /NOT EVIDENCED/);
      assert.match(text, /FAIL/);
      const seq = report.items.find((i) => i.control === "quarterly-dr-tests")!.evidence[0]!;
      assert.ok(
        seq.type === "record" && text.includes(`#${seq.seq}`),
        "the drill's journal record is not cited by seq",
      );
      await page.screenshot({ path: join(ARTIFACTS, "report-html.png"), fullPage: false });
    } finally {
      await browser.close();
    }
  });

  test("the PDF prints with page numbers; its pages render to images", async () => {
    const pdf = await htmlToPdf(reportHtml(report), {}, reportTitle(report));
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    const file = join(ARTIFACTS, "report.pdf");
    await writeFile(file, pdf);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    assert.ok(pages >= 2, `${pages} page(s)`);
    const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
    assert.match(text, new RegExp(`page 1 of ${pages}`));
    assert.match(text, /164\.308\(a\)\(7\)/);
    execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "3", file, join(ARTIFACTS, "page")]);
    const images = (await readdir(ARTIFACTS)).filter((f) => /^page-\d+\.png$/.test(f));
    assert.ok(images.length >= 2, images.join(","));
  });
});
