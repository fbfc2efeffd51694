// Closing an incident whose repair left damage: refused without a reason, allowed with one, and the post-mortem says
// so. The repair's journal records are written as the engine writes them (forensics.apply / forensics.verify).
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { closeIncident, openIncident } from "../../../src/main/incidents/incident-actions.ts";
import { IncidentReportBuilder } from "../../../src/main/incidents/incident-report.ts";
import { summaryLines } from "../../../src/main/journal-export/report-text.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";

const t = tempJournalDir();
after(() => t.cleanup());

async function verifyRecord(j: OpenJournal, green: boolean, undecided: number) {
  await j.append({
    kind: "forensics.verify",
    summary: "Verify repair plan",
    outcome: "ok",
    details: { planId: "plan-20260117-143540-abcdef", green, undecided, remaining: { "public.Patient": undecided } },
  });
}

async function report(j: OpenJournal, id: string) {
  const b = new IncidentReportBuilder(id);
  for (const r of (await j.query({ incident: id, limit: 1000 })).records) b.add(r);
  return b.finish();
}

test("an incident cannot be closed quietly over damage the repair left; the reason shows in the post-mortem", async () => {
  const j = await openJournal({ dir: t.dir });
  const { id } = await openIncident(j, { title: "Phones wiped", severity: "SEV1", scenario: "data-corruption" });
  await j.append({
    kind: "forensics.apply",
    summary: "Apply",
    outcome: "ok",
    details: { planId: "plan-x", dryRun: false },
  });
  await assert.rejects(
    closeIncident(j, {}),
    (e) => e instanceof LifeboatError && e.code === "DAMAGE_REMAINS" && /never verified/.test(e.message),
  );
  await verifyRecord(j, false, 3);
  await assert.rejects(
    closeIncident(j, { unrepairedReason: "   " }),
    (e) =>
      e instanceof LifeboatError &&
      e.code === "DAMAGE_REMAINS" &&
      /3 damaged row\(s\) unrepaired .*public\.Patient: 3/.test(e.message),
  );
  await closeIncident(j, {
    resolution: "Phones restored",
    unrepairedReason: "3 patients were re-contacted by the front desk",
  });
  const r = await report(j, id);
  assert.equal(r.repair?.green, false);
  const lines = summaryLines(r, true).join("\n");
  assert.match(
    lines,
    /Data repair NOT complete .*3 damaged row\(s\) left unrepaired with no decision \(public\.Patient: 3\)/,
  );
  assert.match(lines, /Closed with unrepaired damage\. Reason given: 3 patients were re-contacted/);
  await j.close();
});

test("a verified repair (nothing undecided) closes without a reason", async () => {
  const j = await openJournal({ dir: t.dir });
  const { id } = await openIncident(j, { title: "Notes deleted", severity: "SEV2", scenario: "data-corruption" });
  await verifyRecord(j, false, 2);
  await verifyRecord(j, true, 0);
  await closeIncident(j, {});
  assert.match(
    summaryLines(await report(j, id), true).join("\n"),
    /Data repair verified .* no damaged row is left unrepaired/,
  );
  await j.close();
});
