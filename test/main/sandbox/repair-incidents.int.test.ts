// The sandbox's rehearsal incidents for Scenario 1's repair: a mixed incident (delete + update + the foreign key's
// SET NULL + junk inserts) followed by legitimate writes, branched at its two points by real point-in-time recovery,
// planned, applied and verified. Every class of a repair plan shows up.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { applyRepairPlan } from "../../../src/main/forensics/repair/apply-plan.ts";
import { loadDecisions } from "../../../src/main/forensics/repair/decisions.ts";
import { makeRepairPlan } from "../../../src/main/forensics/repair/make-plan.ts";
import { verifyRepair } from "../../../src/main/forensics/repair/verify-repair.ts";
import { journaledPlanDigest } from "../../../src/main/forensics/repair/plan-digest.ts";
import type { OpenJournal } from "../../../src/main/journal/journal.ts";
import { openJournalReader } from "../../../src/main/journal/journal.ts";
import { runCli } from "../../harness/cli.ts";
import { createBranch, neonApi, useSandbox } from "../../harness/neon-sandbox.ts";
import { neonProfile } from "../neon/neon-test-profile.ts";
import { tempJournal } from "../forensics/forensics-fixture.ts";

describe("sandbox: the mixed incident, rehearsed end to end", () => {
  const sandbox = useSandbox();
  let journal: { journal: OpenJournal; cleanup: () => Promise<void> };
  let plansDir: string;
  before(async () => {
    journal = await tempJournal();
    plansDir = await mkdtemp(join(tmpdir(), "lifeboat-sandbox-plans-"));
  });
  after(async () => {
    await journal?.cleanup();
    await rm(plansDir, { recursive: true, force: true });
  });

  test("an unknown incident is refused with the list", async () => {
    await assert.rejects(sandbox().stageIncident("typo" as never), /unknown incident "typo"[\s\S]*/);
  });

  test("Scenario 1's before state at a point outside the history window: refused with the window (exit 8), journaled refused, no branch made", async () => {
    const s = sandbox();
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-sandbox-window-"));
    try {
      const profile = neonProfile(s.apiUrl, { projectId: s.projectId, apiKey: "env:SANDBOX_KEY" });
      await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
      const env = { ...process.env, SANDBOX_KEY: s.apiKey, LIFEBOAT_JOURNAL_DIR: join(dir, "journal") };
      const branches = async () => (await neonApi(s, "GET", ":project/branches")).body.branches.length as number;
      const count = await branches();
      // The sandbox is minutes old: its history starts when it was made, so the day before is gone.
      const point = new Date(Date.now() - 24 * 3600_000).toISOString();
      const r = await runCli(["--config", join(dir, "config.json"), "--json", "neon", "recover-to", point], { env });
      assert.equal(r.code, 8, r.stdout + r.stderr);
      assert.equal(r.json?.error?.code, "NEON_OUTSIDE_WINDOW");
      assert.match(r.json!.error!.message, /before the earliest point Neon can restore to/);
      assert.match(r.json!.error!.hint ?? "", /off-site backup/);
      assert.equal(await branches(), count, "no branch was made");
      const rec = (await openJournalReader(join(dir, "journal")).query({ kind: "neon." })).records.at(-1)!;
      assert.equal(rec.outcome, "refused");
      assert.equal((rec.details?.error as { code: string }).code, "NEON_OUTSIDE_WINDOW");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("mixed: two points, every class in the plan, the repair leaves only what needs a decision", async () => {
    const s = sandbox();
    const inc = await s.stageIncident("mixed");
    const d = inc.details as {
      deletedNotes: number[];
      unlinkedPrescriptions: number[];
      wipedPatients: number[];
      insertedNotes: number[];
      editedAgain: { patients: number[]; prescriptions: number[] };
      tables: string[];
    };
    const at = (iso: string) => Date.parse(iso);
    assert.ok(inc.damagedSecond && at(inc.damagedSecond) > at(inc.finishedAt), JSON.stringify(inc));
    assert.ok(at(inc.lastGoodSecond) <= at(inc.startedAt), JSON.stringify(inc));
    assert.ok(d.unlinkedPrescriptions.length > 0, "the foreign key's SET NULL unlinked prescriptions");
    const beforeBranch = await createBranch(s, { name: "before", parent_timestamp: inc.lastGoodSecond });
    const damagedBranch = await createBranch(s, { name: "damaged", parent_timestamp: inc.damagedSecond! });
    const states = {
      before: s.connInfo(beforeBranch.branch.id)!,
      damaged: s.connInfo(damagedBranch.branch.id)!,
      production: s.connInfo()!,
      sources: { before: "branch before", damaged: "branch damaged" },
      points: { before: inc.lastGoodSecond, damaged: inc.damagedSecond! },
    };
    const ctx = { journal: journal.journal, profile: "sandbox" };
    const plan = await makeRepairPlan(states, { tables: d.tables, plansDir }, ctx);
    const t = Object.fromEntries(plan.header.tables.map((x) => [x.table, x.counts]));
    assert.equal(t["public.ClinicalNote"]!.reinsert, d.deletedNotes.length);
    assert.equal(t["public.ClinicalNote"]!.inserted, d.insertedNotes.length);
    assert.equal(t["public.ClinicalNote"]!.later, 1);
    assert.equal(t["public.Patient"]!.restore, d.wipedPatients.length - d.editedAgain.patients.length);
    assert.equal(t["public.Patient"]!.conflict, d.editedAgain.patients.length);
    assert.ok(t["public.Patient"]!.later >= 1);
    assert.equal(
      t["public.Prescription"]!.restore,
      d.unlinkedPrescriptions.length - d.editedAgain.prescriptions.length,
    );
    assert.equal(t["public.Prescription"]!.conflict, d.editedAgain.prescriptions.length);
    // The incident's own audit rows are in the damaged state but not before: inserted too, for a decision.
    assert.equal(t["public.AuditLog"], undefined, "AuditLog is not linked by a foreign key to these tables");

    const applied = await applyRepairPlan(
      states.production,
      {
        planPath: plan.path,
        journaledDigest: await journaledPlanDigest(journal.journal, plan.header.planId),
        dryRun: false,
        confirm: states.production.database,
        decisions: await loadDecisions(plansDir, plan.header.planId),
      },
      ctx,
    );
    assert.equal(
      applied.leftAlone.undecided,
      d.editedAgain.patients.length + d.editedAgain.prescriptions.length + d.insertedNotes.length,
    );
    const v = await verifyRepair(
      states,
      {
        planPath: plan.path,
        journaledDigest: await journaledPlanDigest(journal.journal, plan.header.planId),
        plansDir,
        decisions: new Map(),
      },
      ctx,
    );
    assert.equal(v.green, false);
    assert.equal(v.undecided, applied.leftAlone.undecided, "what apply left is exactly what verify still finds");
  });
});
