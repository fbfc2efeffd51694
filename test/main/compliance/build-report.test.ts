// The compliance report over a generated year of evidence with known faults (two missed days, a backup made by hand,
// a failed quarter, an expired lock, runbooks never exported, a practice run that never restored the service): each
// verdict and each citation exactly as the evidence says; a store that cannot be reached is named, never passed.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { ComplianceItem, ComplianceReport, RecordRef } from "../../../src/shared/compliance/compliance-report.ts";
import { Profile } from "../../../src/shared/config.ts";
import { buildComplianceReport } from "../../../src/main/compliance/build-report.ts";
import { reportJson } from "../../../src/main/compliance/render/report-json.ts";
import { verifyReportText } from "../../../src/main/compliance/verify-report.ts";
import { IndexedJournalReader } from "../../../src/main/journal/journal-reader.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { generateYear, type Year } from "./year-of-evidence.ts";

/** 1 June 2025: a monthly backup (kept), never copied to the replica. */
const NO_COPY_DAY = 151;

let dir: string;
let year: Year;
let report: ComplianceReport;

function item(control: string): ComplianceItem {
  const i = report.items.find((x) => x.control === control);
  assert.ok(i, `the report has no ${control} item`);
  return i;
}

function cites(i: ComplianceItem, r: JournalRecord): boolean {
  return i.evidence.some((e) => e.type === "record" && e.seq === r.seq && e.hash === r.hash && e.kind === r.kind);
}

const unanswered = () => new LifeboatError("STORAGE_UNREACHABLE", "The bucket did not answer.", "Check the network.");

async function build(
  y: Year,
  opts: {
    unreachable?: boolean;
    replicaUnreachable?: boolean;
    noReplica?: boolean;
    controlSet?: "hipaa" | "aws-backup";
  } = {},
) {
  return buildComplianceReport(
    { controlSet: opts.controlSet ?? "hipaa", from: y.from, to: y.to },
    {
      profiles: [Profile.parse(opts.noReplica ? { ...y.profile, replicas: [] } : y.profile)],
      store: async () => {
        if (opts.unreachable) throw unanswered();
        return new FolderStore(y.storeDir);
      },
      replicaStore: async () => {
        if (opts.unreachable || opts.replicaUnreachable) throw unanswered();
        return new FolderStore(y.replicaDir);
      },
      journal: new IndexedJournalReader(y.journalDir),
      practiceDirs: [y.practiceDir],
      now: y.now,
      timeoutMs: 10_000,
      actor: { user: "auditor", host: "test" },
    },
  );
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-compliance-"));
  year = await generateYear(dir, {
    profile: "clinic",
    year: 2025,
    skipDays: [40, 41, 200],
    manualDays: [100],
    failQuarter: 2,
    expiredLockMonth: 3,
    exported: ["scenario-1-data-corruption", "scenario-2-database-loss", "scenario-3-bad-migration"],
    replicaMissingDay: NO_COPY_DAY,
  });
  report = (await build(year)).report;
});
after(() => rm(dir, { recursive: true, force: true }));

describe("compliance report from a year of evidence", () => {
  test("a store that cannot be reached is named as unseen, and nothing that needed it passes", async () => {
    const { report: r } = await build(year, { unreachable: true });
    assert.ok(
      r.unseen.some((u) => u.profile === "clinic" && /did not answer/.test(u.why)),
      JSON.stringify(r.unseen),
    );
    for (const c of ["encrypted-storage", "retention-7-years", "geographic-redundancy"]) {
      const i = r.items.find((x) => x.control === c && x.profile === "clinic")!;
      assert.notEqual(i.verdict, "PASS", `${c} passed without its store`);
      assert.ok(i.unseen.length > 0 || i.verdict === "NOT_EVIDENCED", `${c} does not say what it could not see`);
    }
  });

  test("daily backups: FAIL, every gap over the cadence listed, each scheduled run cited by seq and hash", () => {
    const i = item("daily-backups");
    assert.equal(i.verdict, "FAIL");
    const gaps = i.findings.filter((f) => /without one/.test(f));
    assert.deepEqual(gaps, [
      "after the backup of 2025-02-09 02:00:00 UTC to the next at 2025-02-12 02:00:00 UTC: 3 d without one",
      "after the backup of 2025-04-10 02:00:00 UTC to the next at 2025-04-12 02:00:00 UTC: 2 d without one",
      "after the backup of 2025-07-19 02:00:00 UTC to the next at 2025-07-21 02:00:00 UTC: 2 d without one",
    ]);
    assert.ok(i.findings.some((f) => /1 backup in the period was not made by a scheduled run/.test(f)));
    for (const [, run] of year.records.runs) assert.ok(cites(i, run), `schedule.run #${run.seq} is not cited`);
  });

  test("tested restore: the failed drill is named and cited; the passing tests count", () => {
    const i = item("tested-restore");
    assert.equal(i.verdict, "PASS");
    assert.match(i.reason, /54 restore tests of 55 passed/);
    assert.ok(i.findings.some((f) => /DR drill of 2025-08-15 06:00:00 UTC failed/.test(f)));
    for (const d of year.records.drills) assert.ok(cites(i, d));
  });

  test("quarterly DR tests: FAIL for the failed quarter, with the drill that failed cited", () => {
    const i = item("quarterly-dr-tests");
    assert.equal(i.verdict, "FAIL");
    assert.deepEqual(
      i.findings.filter((f) => /^2025 Q/.test(f)).map((f) => f.slice(0, 7)),
      ["2025 Q3"],
    );
    assert.ok(cites(i, year.records.drills[2]!));
  });

  test("encrypted storage: PASS, each retained backup's manifest cited by its digest", () => {
    const i = item("encrypted-storage");
    assert.equal(i.verdict, "PASS");
    const manifests = i.evidence.filter((e) => e.type === "manifest");
    assert.equal(manifests.length, 20);
    for (const m of manifests) assert.equal(m.type === "manifest" && m.sha256, year.manifestSha.get(m.id));
  });

  test("retention: FAIL on the monthly backup whose lock expired, citing its manifest", () => {
    const i = item("retention-7-years");
    assert.equal(i.verdict, "FAIL");
    const april = year.monthly[3]!;
    assert.ok(
      i.findings.some((f) => f.startsWith(`Backup ${april} is kept until`) && /EXPIRED/.test(f)),
      i.findings.join("\n"),
    );
    assert.ok(
      i.evidence.some((e) => e.type === "manifest" && e.id === april && e.sha256 === year.manifestSha.get(april)),
    );
  });

  test("geographic redundancy: FAIL for the one backup missing its replica; every backup and every copy cited", async () => {
    const i = item("geographic-redundancy");
    const missing = year.ids.get(NO_COPY_DAY)!;
    const kept = (await new FolderStore(year.storeDir).list("clinic/"))
      .filter((o) => o.key.endsWith("/manifest.json"))
      .map((o) => o.key.split("/")[1]!)
      .sort();
    assert.ok(kept.includes(missing) && kept.length === 20, kept.join(","));
    assert.equal(i.verdict, "FAIL");
    assert.equal(i.reason, "1 backup of 20 in the period has no copy in another region.");
    assert.deepEqual(i.findings, [`Backup ${missing} (2025-06-01 02:00:00 UTC) has no copy in another region.`]);
    assert.deepEqual(i.unseen, []);
    // Each kept backup's manifest (key and sha256), then the replica.copy record that proved its copy (seq and hash).
    const cite = (e: ComplianceItem["evidence"][number]) =>
      e.type === "manifest" ? `manifest ${e.store} ${e.key} ${e.sha256}` : `record ${e.kind} #${e.seq} ${e.hash}`;
    assert.deepEqual(
      i.evidence.map(cite),
      kept.flatMap((id) => [
        `manifest primary clinic/${id}/manifest.json ${year.manifestSha.get(id)}`,
        ...(id === missing
          ? []
          : [`record replica.copy #${year.records.copies.get(id)!.seq} ${year.records.copies.get(id)!.hash}`]),
      ]),
    );
    const [stores, uncopied] = i.tables;
    assert.deepEqual(
      stores!.rows.map((r) => [r[0], r[2], r[3], r[4]]),
      [
        ["primary", "eu-central-1", "yes", "20"],
        ["offsite", "us-east-2", "yes", "19"],
      ],
    );
    assert.deepEqual(uncopied!.rows, [[missing, "2025-06-01 02:00:00 UTC", "none"]]);
  });

  test("the report with its replica's listing verifies on its own, verdicts derived again", async () => {
    const built = await build(year);
    const r = verifyReportText(reportJson(built.report, built.bundle));
    assert.deepEqual(r.problems, []);
    assert.equal(r.rederived, true);
    assert.ok(built.bundle.stores.some((s) => s.name === "offsite" && s.region === "us-east-2" && s.reachable));
  });

  test("geographic redundancy: an unreachable replica is named, and its copies count only as the journal proves them", async () => {
    const { report: r } = await build(year, { replicaUnreachable: true });
    const i = r.items.find((x) => x.control === "geographic-redundancy")!;
    assert.equal(i.verdict, "NOT_EVIDENCED");
    assert.match(i.reason, /^1 backup of 20 .* that could be seen \(a replica was unreachable\)/);
    assert.match(i.unseen[0]!, /^replica "offsite" \(.*\): The bucket did not answer/);
    assert.ok(
      r.unseen.some((u) => u.what === 'the replica "offsite" (s3://clinic-offsite)'),
      JSON.stringify(r.unseen),
    );
  });

  test("geographic redundancy: FAIL when the backups exist in one store only", async () => {
    const { report: r } = await build(year, { noReplica: true });
    const i = r.items.find((x) => x.control === "geographic-redundancy")!;
    assert.equal(i.verdict, "FAIL");
    assert.match(i.reason, /one store only/);
  });

  test("DR documentation: the runbooks never exported are named; the exports are cited with their version", () => {
    const i = item("dr-documentation");
    assert.notEqual(i.verdict, "PASS");
    for (const id of [
      "scenario-4-server-failure",
      "scenario-5-region-outage",
      "scenario-6-ransomware",
      "scenario-7-application-error",
    ])
      assert.ok(
        i.findings.some((f) => f.startsWith(id)),
        `${id} is not named`,
      );
    // Scenario 3 (a bad migration) is not one of the audit's six: its export is not this item's evidence.
    for (const e of year.records.exports)
      assert.equal(cites(i, e), e.details.runbook !== "scenario-3-bad-migration", String(e.details.runbook));
    const rows = i.tables[0]!.rows;
    assert.deepEqual(rows.find((r) => r[1] === "scenario-1-data-corruption")!.slice(2, 4), ["1.0", "1.0"]);
  });

  test("team training: each practice run cited; the run that never restored the service is named", () => {
    const i = item("team-training");
    assert.equal(i.verdict, "PASS");
    assert.match(i.reason, /2 operators practised/);
    for (const t of year.records.training) assert.ok(cites(i, t));
    assert.ok(i.findings.some((f) => /scenario-2-database-loss.*without the service restored/.test(f)));
  });

  test("§164.308(a)(7): each specification judged from the items it rests on; none passes on configuration", () => {
    const specs = report.items.filter((x) => x.section === "164.308(a)(7)");
    assert.equal(specs.length, 5);
    assert.equal(specs.find((s) => s.control.endsWith("(A)"))!.verdict, "FAIL");
    assert.equal(specs.find((s) => s.control.endsWith("(E)"))!.verdict, "NOT_EVIDENCED");
    assert.deepEqual(report.summary, {
      pass: report.items.filter((x) => x.verdict === "PASS").length,
      fail: report.items.filter((x) => x.verdict === "FAIL").length,
      notEvidenced: report.items.filter((x) => x.verdict === "NOT_EVIDENCED").length,
    });
    for (const x of report.items)
      assert.ok(x.evidence.length > 0 || x.verdict === "NOT_EVIDENCED", `${x.control} has no evidence`);
    const refs = report.items.flatMap((x) => x.evidence).filter((e): e is RecordRef => e.type === "record");
    assert.ok(refs.every((e) => /^[0-9a-f]{64}$/.test(e.hash)));
  });

  test("AWS Backup Audit Manager's controls: daily frequency fails on the gaps, the cross-region copy on the backup never copied", async () => {
    const { report: aws } = await build(year, { controlSet: "aws-backup" });
    assert.ok(aws.items.every((x) => x.section === "aws-backup-audit-manager"));
    const byControl = new Map(aws.items.map((x) => [x.control, x]));
    const verdicts = Object.fromEntries([...byControl].map(([k, v]) => [k, v.verdict]));
    assert.deepEqual(verdicts, {
      "aws.frequency": "FAIL",
      "aws.min-retention": "FAIL",
      "aws.deletion-locked": "FAIL",
      "aws.encrypted": "PASS",
      "aws.cross-region": "FAIL",
      "aws.restore-time": "PASS",
    });
    // The hand-made backup of 11 April fills that day: only the two scheduled gaps with no backup at all remain.
    assert.match(byControl.get("aws.frequency")!.reason, /^2 intervals/);
    assert.match(byControl.get("aws.restore-time")!.reason, /against a target of 30 min/);
    assert.deepEqual(byControl.get("aws.cross-region")!.findings, [
      `Backup ${year.ids.get(NO_COPY_DAY)} (2025-06-01 02:00:00 UTC) has no copy in another region.`,
    ]);
  });
});
