// Team training evidence: a runbook incident closed in the practice world leaves one training.run record (operator,
// runbook version, achieved RTO); an incident opened by hand, or one closed outside the practice world, leaves none.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { closeIncidentWithReport, startIncident } from "../../../src/main/incidents/incident-operations.ts";
import { markServiceRestored } from "../../../src/main/incidents/incident-actions.ts";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { findRunbook } from "../../../src/shared/runbooks/all-runbooks.ts";

async function withJournal(fn: (j: Awaited<ReturnType<typeof openJournal>>, clock: { t: number }) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-practice-record-"));
  const clock = { t: Date.UTC(2026, 5, 10, 14) };
  const j = await openJournal({ dir, clock: () => new Date(clock.t), actor: { user: "sam", host: "laptop-2" } });
  try {
    await fn(j, clock);
  } finally {
    await j.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const input = { title: "practice", severity: "SEV2" as const, scenario: "database-loss" as const };

test("outside the practice world, or without a runbook, closing an incident records no training", async () => {
  await withJournal(async (j) => {
    await startIncident(j, { ...input, runbook: "scenario-2-database-loss" });
    await closeIncidentWithReport(j, {});
    await startIncident(j, input, new Date(), { practice: true });
    await closeIncidentWithReport(j, {}, new Date(), undefined, { practice: true });
    assert.equal((await j.query({ kind: "training.run" })).records.length, 0);
  });
});

test("a practised runbook closed in the practice world is a training record with its version and RTO", async () => {
  await withJournal(async (j, clock) => {
    const opened = await startIncident(j, { ...input, runbook: "scenario-2-database-loss" }, new Date(clock.t), {
      practice: true,
    });
    clock.t += 1_380_000;
    await markServiceRestored(j, { at: new Date(clock.t).toISOString() });
    clock.t += 60_000;
    await closeIncidentWithReport(j, {}, new Date(clock.t), undefined, { practice: true });
    const [rec] = (await j.query({ kind: "training.run" })).records;
    assert.ok(rec, "no training.run record");
    assert.equal(rec.details.incident, opened.id);
    assert.equal(rec.details.runbook, "scenario-2-database-loss");
    assert.equal(rec.details.version, findRunbook("scenario-2-database-loss")!.version);
    assert.equal(rec.details.operator, "sam@laptop-2");
    assert.equal(rec.details.serviceRestored, true);
    assert.equal(rec.details.rtoMs, 1_380_000);
  });
});
