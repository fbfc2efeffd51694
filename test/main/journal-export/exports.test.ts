// Every export format of a realistic incident: JSON verifies on its own (also by hand with jq + sha256sum), CSV parses
// with a real CSV parser, the Markdown timeline lists every record in order, and the HTML renders in Chromium.
import type { ExportFormat } from "../../../src/shared/api/channels/journal-channels.ts";
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execSync } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { parse } from "csv-parse/sync";
import { exportJournal } from "../../../src/main/journal-export/export-journal.ts";
import { verifyExportFile } from "../../../src/main/journal-export/verify-export.ts";
import { CSV_COLUMNS } from "../../../src/main/journal-export/export-csv.ts";
import type { OpenJournal } from "../../../src/main/journal/journal.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";
import { buildIncidentScenario } from "./incident-scenario.ts";
import { launchChromium } from "../../../src/main/process/chromium.ts";

const t = tempJournalDir();
let j: OpenJournal;
let id: string;
let incidentRecords: JournalRecord[];
const files: Partial<Record<ExportFormat, string>> = {};

before(async () => {
  ({ j, id } = await buildIncidentScenario(t.dir));
  incidentRecords = (await j.query({ incident: id, limit: 1000 })).records;
  for (const format of ["json", "csv", "md", "html"] as const) {
    const file = join(t.dir, "..", `incident.${format}`);
    const out = createWriteStream(file);
    const summary = await exportJournal(j, { format, incident: id }, out);
    out.end();
    await finished(out);
    assert.equal(summary.records, incidentRecords.length);
    files[format] = file;
  }
});
after(async () => {
  await j?.close();
  t.cleanup();
});

function hasTool(name: string): boolean {
  try {
    execSync(`command -v ${name}`, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("exports of one incident", () => {
  test("the scenario produced a full incident", () => {
    assert.ok(incidentRecords.length >= 20);
    assert.equal(incidentRecords[0]!.kind, "incident.open");
    assert.equal(incidentRecords.at(-1)!.kind, "incident.close");
  });

  test("JSON verifies on its own", async () => {
    const v = await verifyExportFile(files.json!);
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    assert.equal(v.records, incidentRecords.length);
    const doc = JSON.parse(readFileSync(files.json!, "utf8"));
    assert.deepEqual(doc.records, incidentRecords);
    assert.equal(doc.scope.incident, id);
  });

  test(
    "JSON verifies by hand, without Lifeboat (jq + sha256sum, as the README shows)",
    { skip: !hasTool("jq") && "jq is not installed" },
    () => {
      const f = files.json!;
      const digest = execSync(`jq -r '.records[].hash' ${f} | sha256sum | cut -d' ' -f1`, { encoding: "utf8" }).trim();
      assert.equal(digest, execSync(`jq -r .digest.value ${f}`, { encoding: "utf8" }).trim());
      // Each record line, taken verbatim from the export, hashes to its own hash field once the field is removed.
      const script = `grep '^{"v":1,' ${f} | sed 's/,$//' | while IFS= read -r line; do
      body="\${line%,\\"hash\\":*}}"
      want=$(printf '%s' "$line" | jq -r .hash)
      got=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)
      [ "$want" = "$got" ] && echo ok || echo "BAD $(printf '%s' "$line" | jq .seq)"
    done`;
      const out = execSync(script, { encoding: "utf8", shell: "/bin/bash" }).trim().split("\n");
      assert.equal(out.length, incidentRecords.length);
      assert.deepEqual([...new Set(out)], ["ok"]);
    },
  );

  test("CSV parses with csv-parse and round-trips every field", () => {
    const rows = parse(readFileSync(files.csv!), { columns: true, record_delimiter: "\r\n" }) as Record<
      string,
      string
    >[];
    assert.deepEqual(Object.keys(rows[0]!), [...CSV_COLUMNS]);
    assert.equal(rows.length, incidentRecords.length);
    rows.forEach((row, i) => {
      const r = incidentRecords[i]!;
      assert.equal(Number(row.seq), r.seq);
      assert.equal(row.summary, r.summary);
      assert.deepEqual(JSON.parse(row.details_json!), r.details);
      assert.equal(row.hash, r.hash);
    });
    assert.ok(
      rows.some((r) => r.summary!.includes('"ClinicalNote", 1,204')),
      "quotes and commas survive",
    );
  });

  test("Markdown post-mortem: every record in the timeline, in order, with RTO/RPO and checklist", () => {
    const md = readFileSync(files.md!, "utf8");
    const timeline = md.slice(md.indexOf("## Timeline"));
    let at = 0;
    for (const r of incidentRecords) {
      const row = timeline.indexOf(`| ${r.seq} | `, at);
      assert.ok(row > at || (row === at && at === 0), `record #${r.seq} (${r.kind}) is missing or out of order`);
      at = row;
    }
    const steps = incidentRecords.filter((r) => r.kind === "operator.step").map((r) => r.summary);
    assert.deepEqual(steps, [
      "Checklist: Verify data integrity — done",
      "Checklist: Smoke test all API endpoints — done",
      "Checklist: Notify team recovery is complete — done",
    ]);
    assert.match(md, /\| RTO \(detection → service restored\) \| 30 min \| 22 min 50 s \| met \|/);
    assert.match(md, /\| RPO \(recovery point → corruption\) \| 1 min \| 1\.0 s \| met \|/);
    assert.match(md, /- \[x\] Verify data integrity/);
    assert.match(md, /- \[ \] Check audit logs for gaps/);
    assert.match(md, /## Post-recovery checklist \(3\/8\)/);
    assert.match(md, /- \[ \] Guard bulk DELETE behind a feature flag/);
    assert.match(md, /\| Neon Support \| Neon Team \| support@neon.tech \|/);
    assert.match(md, /Recover to 14:34:59 on a Neon branch/);
    assert.ok(!md.includes("<script>"), "raw HTML from a note is escaped");
  });

  test(
    "HTML renders in Chromium, self-contained, printable; screenshot saved",
    { timeout: 60_000, skip: !existsSync("/usr/bin/chromium") && "no /usr/bin/chromium" },
    async () => {
      const browser = await launchChromium({ executablePath: "/usr/bin/chromium" });
      try {
        const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
        const requests: string[] = [];
        page.on("request", (r) => requests.push(r.url()));
        await page.goto(`file://${files.html}`);
        assert.deepEqual(requests, [`file://${files.html}`], "no external resources");
        assert.equal(await page.title(), "Post-mortem: Clinical notes deleted by a bad bulk update");
        assert.equal(await page.locator("script").count(), 0, "text from notes is escaped, never markup");
        assert.ok((await page.locator("svg rect[rx='3']").count()) >= 5, "operations are drawn as bars");
        assert.equal(await page.locator("table").last().locator("tbody tr").count(), incidentRecords.length);
        assert.match(await page.locator("body").innerText(), /22 min 50 s/);
        mkdirSync("test-artifacts", { recursive: true });
        await page.screenshot({ path: "test-artifacts/journal-export.png", fullPage: true });
        const pdf = await page.pdf({ format: "A4" });
        assert.ok(pdf.subarray(0, 5).toString() === "%PDF-" && pdf.length > 10_000);
      } finally {
        await browser.close();
      }
    },
  );
});

describe("exports of a time range", () => {
  test("a range export is contiguous and its whole chain verifies", async () => {
    const file = join(t.dir, "..", "range.json");
    const out = createWriteStream(file);
    const s = await exportJournal(
      j,
      { format: "json", since: "2026-01-17T14:00:00Z", until: "2026-01-17T14:45:00Z" },
      out,
    );
    out.end();
    await finished(out);
    const doc = JSON.parse(readFileSync(file, "utf8"));
    assert.equal(doc.contiguous, true);
    const seqs = (doc.records as JournalRecord[]).map((r) => r.seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i),
    );
    assert.equal(seqs[0], 1, "the pre-incident backup is in range");
    assert.ok(s.records > 5 && s.records < incidentRecords.length);
    assert.equal((await verifyExportFile(file)).ok, true);
  });
});
