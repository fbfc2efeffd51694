// A report's JSON verifies on its own, and any change to its evidence or verdicts makes it fail: an edited record, a
// removed one, an altered manifest, a verdict turned to PASS, a file cut short. The README's check without Lifeboat
// (jq and sha256sum) is run here exactly as written.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Profile } from "../../../src/shared/config.ts";
import { buildComplianceReport } from "../../../src/main/compliance/build-report.ts";
import { reportJson } from "../../../src/main/compliance/render/report-json.ts";
import { verifyReportFile, verifyReportText } from "../../../src/main/compliance/verify-report.ts";
import { IndexedJournalReader } from "../../../src/main/journal/journal-reader.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import { generateYear } from "./year-of-evidence.ts";

let dir: string;
let file: string;
let text: string;

type Doc = {
  items: { verdict: string; control: string }[];
  evidence: { journals: { source: string; lines: string[] }[]; manifests: { text: string }[] };
};

/** This machine's journal (the practice journal comes first and holds only the training records). */
function local(d: Doc): { lines: string[] } {
  return d.evidence.journals.find((j) => j.source === "local")!;
}

function tampered(change: (doc: Doc) => void): string {
  const doc = JSON.parse(text) as Doc;
  change(doc);
  return JSON.stringify(doc, null, 1);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-compliance-verify-"));
  const y = await generateYear(dir, {
    profile: "clinic",
    year: 2025,
    skipDays: [40],
    manualDays: [],
    failQuarter: 1,
    expiredLockMonth: 5,
  });
  const built = await buildComplianceReport(
    { controlSet: "hipaa", from: y.from, to: y.to },
    {
      profiles: [Profile.parse(y.profile)],
      store: async () => new FolderStore(y.storeDir),
      journal: new IndexedJournalReader(y.journalDir),
      practiceDirs: [y.practiceDir],
      now: y.now,
      timeoutMs: 10_000,
    },
  );
  text = reportJson(built.report, built.bundle);
  file = join(dir, "report.json");
  await writeFile(file, text);
});
after(() => rm(dir, { recursive: true, force: true }));

describe("verifying a compliance report's JSON", () => {
  test("a file cut short is refused as unparseable, not as a crash", () => {
    const r = verifyReportText(text.slice(0, text.length / 2));
    assert.equal(r.ok, false);
    assert.equal(r.problems[0]!.kind, "unparseable");
  });

  test("an edited journal record fails its hash", () => {
    const r = verifyReportText(
      tampered((d) => {
        const lines = local(d).lines;
        lines[5] = lines[5]!.replace(/"summary":"/, '"summary":"(edited) ');
      }),
    );
    assert.equal(r.ok, false);
    assert.ok(
      r.problems.some((p) => p.kind === "edited"),
      JSON.stringify(r.problems.slice(0, 3)),
    );
  });

  test("a removed journal record breaks the digest and leaves a citation dangling", () => {
    const r = verifyReportText(tampered((d) => void local(d).lines.splice(10, 1)));
    assert.equal(r.ok, false);
    const kinds = new Set(r.problems.map((p) => p.kind));
    assert.ok(kinds.has("digest-mismatch") && kinds.has("dangling-citation"), [...kinds].join(","));
  });

  test("an altered manifest fails its sha256", () => {
    const r = verifyReportText(
      tampered((d) => {
        const m = d.evidence.manifests[0]!;
        m.text = m.text.replace('"rows": 1', '"rows": 9');
      }),
    );
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => p.kind === "manifest-altered"));
  });

  test("a verdict turned to PASS is re-derived from the evidence and refused", () => {
    const r = verifyReportText(
      tampered((d) => {
        const failed = d.items.find((i) => i.verdict === "FAIL")!;
        failed.verdict = "PASS";
      }),
    );
    assert.equal(r.ok, false);
    assert.ok(r.problems.some((p) => p.kind === "verdict-mismatch" && /the evidence gives FAIL/.test(p.message)));
  });

  test("a report made by other rules is not vouched for: its verdicts cannot be derived again here", () => {
    const r = verifyReportText(
      tampered((d) => {
        (d as unknown as { rules: string }).rules = "lifeboat-compliance-rules/1";
        d.items.find((i) => i.verdict === "FAIL")!.verdict = "PASS";
      }),
    );
    assert.equal(r.ok, false);
    assert.equal(r.rederived, false);
    assert.deepEqual(
      r.problems.map((p) => p.kind),
      ["other-rules"],
    );
    assert.match(r.problems[0]!.message, /made by lifeboat-compliance-rules\/1/);
  });

  test("the untouched file verifies: every record, manifest and citation, and every verdict re-derived", async () => {
    const r = await verifyReportFile(file);
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
    assert.equal(r.rederived, true);
    assert.ok(r.records > 300 && r.manifests === 20, `${r.records} records, ${r.manifests} manifests`);
  });

  test("the README's check without Lifeboat, taken from the README and run as written: jq and sha256sum", async () => {
    const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("Checking the JSON without Lifeboat"));
    const block = /```sh\n([\s\S]*?)\n```/.exec(section);
    assert.ok(block, "the README has the commands");
    const sh = (cmd: string) => execFileSync("bash", ["-c", cmd], { cwd: dir, encoding: "utf8" }).trim();
    const lines = block[1]!.split("\n");
    assert.equal(lines.length, 4, block[1]);
    for (const line of lines) {
      const [cmd, says] = line.split(/\s+# equals:? /) as [string, string];
      const got = sh(cmd);
      assert.match(got, /^[0-9a-f]{64}$/, cmd);
      // "that record's .hash": the record the command read, whose hash the journal computed without its hash field.
      const want = says === "that record's .hash" ? JSON.parse(sh(cmd.split(" | jq -cj")[0]!)).hash : sh(says);
      assert.equal(got, want, line);
    }
    assert.ok((await readFile(file, "utf8")).includes('"howToVerify"'));
  });
});
