// The weekly test's verdict is computed from what the test journaled, never ticked: PASS only when the Neon drill and
// the deep verify both passed in this incident; skipped or missing steps are a FAIL that says which; a note rides along.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { weeklyVerdict } from "../../../src/main/drills/weekly-verdict.ts";
import { validateProfile } from "../../../src/main/config/config-validate.ts";
import { openIncident } from "../../../src/main/incidents/incident-actions.ts";
import { recordRunbookStep } from "../../../src/main/incidents/runbook-record.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";

const dirs: (() => void)[] = [];
after(() => dirs.forEach((d) => d()));

const base = {
  name: "clinic",
  database: { host: "db.example", database: "clinic", user: "u" },
  storage: { kind: "folder", path: "/tmp/x" },
  encryption: { recipients: ["age1ww6lssmnrfq9szsshmmlqud0xvm96h06nrgv7mqlzwm3t43knqwst5ym47"] },
};
const withNeon = validateProfile({ ...base, neon: { projectId: "p-1", apiKey: "env:K" } });
const withoutNeon = validateProfile(base);

async function startTest(): Promise<{ j: OpenJournal; id: string }> {
  const t = tempJournalDir();
  dirs.push(t.cleanup);
  const j = await openJournal({ dir: t.dir });
  const { id } = await openIncident(j, { title: "Monday", severity: "SEV4", scenario: "backup-test" });
  return { j, id };
}

const drill = (j: OpenJournal, pass: boolean) =>
  j.append({
    kind: "drill.neon",
    profile: "clinic",
    summary: pass ? "Backup test PASSED" : "Backup test FAILED",
    details: {
      pass,
      offset: "24 hours",
      counts: [{ table: "Patient", rows: 150 }],
      failures: pass ? [] : ["Patient dropped 40% since the last passing run"],
    },
    outcome: pass ? "ok" : "failed",
  });
const deep = (j: OpenJournal, ok: boolean) =>
  j.append({
    kind: "verify.deep",
    profile: "clinic",
    summary: "Deep verify of backup b1",
    details: ok
      ? { id: "b1", tables: 7, deep: { database: "x", tables: 7 } }
      : { id: "b1", error: { code: "ROWCOUNT_MISMATCH", message: "Patient: 150 in the manifest, 149 restored" } },
    outcome: ok ? "ok" : "failed",
  });

describe("the weekly test's verdict", () => {
  test("PASS when both passed; the note is kept and does not change it", async () => {
    const { j, id } = await startTest();
    await drill(j, true);
    await deep(j, true);
    const v = await weeklyVerdict(j, withNeon, { incident: id, note: "Counts look like last week's" });
    assert.equal(v.verdict, "PASS");
    assert.match(v.reason, /Neon drill: branched back 24 hours and counted 1 key tables/);
    assert.match(v.reason, /backup b1 restored into a throwaway database, all 7 tables/);
    assert.equal(v.record.kind, "backup-test.verdict");
    assert.equal(v.record.outcome, "ok");
    assert.equal(v.record.details.note, "Counts look like last week's");
    await j.close();
  });

  test("FAIL with the failing step's own reason; an operator's note cannot turn it", async () => {
    const { j, id } = await startTest();
    await drill(j, false);
    await deep(j, true);
    const v = await weeklyVerdict(j, withNeon, { incident: id, note: "I checked by hand, all fine, passed" });
    assert.equal(v.verdict, "FAIL");
    assert.match(v.reason, /Neon drill failed: Patient dropped 40%/);
    assert.equal(v.record.outcome, "failed");
    await j.close();
  });

  test("a skipped drill or a missing deep verify is a FAIL that says so; without Neon only the deep verify counts", async () => {
    const { j, id } = await startTest();
    await recordRunbookStep(j, {
      runbook: "weekly-backup-test",
      step: "neon-drill",
      title: "Neon: branch back in time and count",
      outcome: "info",
      value: "skipped: Neon console maintenance",
    });
    const skipped = await weeklyVerdict(j, withNeon, { incident: id });
    assert.equal(skipped.verdict, "FAIL");
    assert.match(skipped.reason, /Neon drill was skipped \(Neon console maintenance\)/);
    assert.match(skipped.reason, /Deep verify of the newest backup did not run in this test/);
    await deep(j, false);
    const noNeon = await weeklyVerdict(j, withoutNeon, { incident: id });
    assert.deepEqual(
      noNeon.checks.map((c) => c.name),
      ["Deep verify of the newest backup"],
    );
    assert.match(noNeon.reason, /failed: Patient: 150 in the manifest, 149 restored/);
    await deep(j, true);
    assert.equal(
      (await weeklyVerdict(j, withoutNeon, { incident: id })).verdict,
      "PASS",
      "the newest deep verify counts",
    );
    await j.close();
  });
});
