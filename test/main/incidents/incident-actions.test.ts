import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { openJournal } from "../../../src/main/journal/journal.ts";
import {
  addNote,
  closeIncident,
  resolveIncident,
  markServiceRestored,
  openIncident,
  setDetectedAt,
  tickChecklistItem,
} from "../../../src/main/incidents/incident-actions.ts";
import { recordRunbookStep } from "../../../src/main/incidents/runbook-record.ts";
import { newIncidentId } from "../../../src/main/incidents/incident-model.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));
function fresh(): string {
  const t = tempJournalDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
const code = (c: string) => (e: unknown) => e instanceof LifeboatError && e.code === c;

describe("incidents", () => {
  test("an incident opened by another process is seen before this one decides: no second incident, notes attach", async () => {
    const dir = fresh();
    const consoleJournal = await openJournal({ dir }); // the console, running while a terminal opens the incident
    const terminal = await openJournal({ dir });
    const { id } = await openIncident(terminal, { title: "Notes gone", severity: "SEV2", scenario: "data-corruption" });
    assert.equal(await resolveIncident(consoleJournal), id, "the console's note attaches to the terminal's incident");
    await assert.rejects(
      openIncident(consoleJournal, { title: "again", severity: "SEV2", scenario: "other" }),
      code("INCIDENT_ALREADY_OPEN"),
    );
    await closeIncident(terminal, {});
    await consoleJournal.refresh();
    assert.equal(consoleJournal.currentIncident(), undefined);
    await terminal.close();
    await consoleJournal.close();
  });

  test("while an incident is open every record attaches to it, across reopen and across writers", async () => {
    const dir = fresh();
    const other = await openJournal({ dir }); // opened before the incident exists, like the desktop app
    const j = await openJournal({ dir });
    await j.append({ kind: "backup.run", summary: "before" });
    const { id, record } = await openIncident(j, { title: "DB down", severity: "SEV1", scenario: "database-loss" });
    assert.match(id, /^inc-\d{8}-\d{4}-[0-9a-f]{4}$/);
    assert.equal(record.incident, id);
    assert.equal((await j.append({ kind: "restore.run", summary: "during" })).incident, id);
    assert.equal((await other.append({ kind: "verify.run", summary: "from the other writer" })).incident, id);
    await j.close();

    const again = await openJournal({ dir });
    assert.equal(again.currentIncident(), id);
    assert.equal((await again.append({ kind: "neon.recover-to", summary: "after reopen" })).incident, id);
    await closeIncident(again, { resolution: "restored" });
    assert.equal(again.currentIncident(), undefined);
    assert.equal((await again.append({ kind: "backup.run", summary: "after close" })).incident, undefined);
    assert.equal((await other.append({ kind: "backup.run", summary: "other, after close" })).incident, undefined);
    assert.deepEqual(
      (await again.query({ incident: id })).records.map((r) => r.kind),
      ["incident.open", "restore.run", "verify.run", "neon.recover-to", "incident.close"],
    );
    await again.close();
    await other.close();
  });

  test("only one incident is open at a time", async () => {
    const j = await openJournal({ dir: fresh() });
    const { id } = await openIncident(j, { title: "A", severity: "SEV2", scenario: "other" });
    await assert.rejects(
      openIncident(j, { title: "B", severity: "SEV2", scenario: "other" }),
      (e: unknown) => code("INCIDENT_ALREADY_OPEN")(e) && (e as LifeboatError).hint!.includes(id),
    );
    await j.close();
  });

  test("notes, decisions, follow-ups, checklist and restore marker need an incident and validate input", async () => {
    const j = await openJournal({ dir: fresh() });
    await assert.rejects(addNote(j, { text: "x" }), code("INCIDENT_NOT_FOUND"));
    await assert.rejects(addNote(j, { text: "x", incident: "inc-nope" }), code("INCIDENT_NOT_FOUND"));
    await assert.rejects(openIncident(j, { title: "", severity: "SEV1", scenario: "other" }), code("USAGE"));
    await assert.rejects(
      openIncident(j, { title: "x", severity: "critical" as "SEV1", scenario: "other" }),
      code("USAGE"),
    );
    await assert.rejects(openIncident(j, { title: "x", severity: "SEV1", scenario: "fire" as "other" }), code("USAGE"));
    await assert.rejects(
      openIncident(j, { title: "x", severity: "SEV1", scenario: "other", detectedAt: "2999-01-01T00:00:00Z" }),
      /future/,
    );
    const { id } = await openIncident(j, {
      title: "x",
      severity: "SEV3",
      scenario: "backup-test",
      detectedAt: "2026-01-17T14:00:00+01:00",
    });
    assert.equal((await j.query({ incident: id })).records[0]!.details.detectedAt, "2026-01-17T13:00:00.000Z");
    await assert.rejects(addNote(j, { text: "   " }), code("USAGE"));
    assert.equal((await addNote(j, { text: "Going with the branch", kind: "decision" })).kind, "operator.decision");
    await assert.rejects(
      tickChecklistItem(j, { item: "make coffee" }),
      (e: unknown) => code("USAGE")(e) && /1\. Verify data integrity/.test((e as LifeboatError).hint!),
    );
    assert.equal((await tickChecklistItem(j, { item: "smoke" })).details.item, "Smoke test all API endpoints");
    const tick = await tickChecklistItem(j, { item: "audit-log-gaps" });
    assert.deepEqual(
      [tick.details.itemId, tick.details.item, tick.details.number],
      ["audit-log-gaps", "Check audit logs for gaps", 3],
    );
    assert.equal((await markServiceRestored(j, { at: "2026-01-17T14:20:00Z" })).details.at, "2026-01-17T14:20:00.000Z");
    await closeIncident(j, { followUps: ["one", "two"] });
    // A closed incident's record is final, whichever way a record would reach it.
    await assert.rejects(closeIncident(j, { incident: id }), code("INCIDENT_CLOSED"));
    await assert.rejects(addNote(j, { text: "late note", incident: id }), code("INCIDENT_CLOSED"));
    await assert.rejects(tickChecklistItem(j, { item: "1", incident: id }), code("INCIDENT_CLOSED"));
    await assert.rejects(markServiceRestored(j, { incident: id }), code("INCIDENT_CLOSED"));
    await assert.rejects(
      setDetectedAt(j, { incident: id, detectedAt: "2026-01-17T12:00:00Z" }),
      code("INCIDENT_CLOSED"),
    );
    await assert.rejects(
      recordRunbookStep(j, { runbook: "scenario-1", step: "x", title: "X", outcome: "ok", incident: id }),
      code("INCIDENT_CLOSED"),
    );
    await assert.rejects(j.append({ kind: "backup.run", summary: "late", incident: id }), code("INCIDENT_CLOSED"));
    // Without a name, a later record attaches to nothing.
    assert.equal((await j.append({ kind: "backup.run", summary: "later" })).incident, undefined);
    assert.equal((await j.query({ incident: id, kind: "operator.note" })).total, 0);
    assert.deepEqual(
      (await j.query({ incident: id, kind: "operator.follow-up" })).records.map((r) => r.details.text),
      ["one", "two"],
    );
    await j.close();
  });

  test("detected at is corrected by a record of its own; drills are labelled; long words are marked as shortened", async () => {
    const j = await openJournal({ dir: fresh() });
    const { id, record } = await openIncident(
      j,
      { title: "Monday test", severity: "SEV4", scenario: "backup-test", detectedAt: "2026-01-17T14:00:00Z" },
      new Date("2026-01-17T14:05:00Z"),
    );
    assert.equal(record.details.drill, true);
    assert.match(record.summary, /^Drill opened/);
    await assert.rejects(
      setDetectedAt(j, { detectedAt: "2999-01-01T00:00:00Z" }, new Date("2026-01-17T14:06:00Z")),
      /future/,
    );
    await assert.rejects(setDetectedAt(j, { detectedAt: "yesterday-ish" }), code("USAGE"));
    const fix = await setDetectedAt(j, { detectedAt: "2026-01-17T13:40:00Z", note: "first alert at 13:40" });
    assert.equal(fix.incident, id);
    assert.deepEqual(fix.details, {
      detectedAt: "2026-01-17T13:40:00.000Z",
      previous: "2026-01-17T14:00:00.000Z",
      note: "first alert at 13:40",
    });
    assert.equal((await j.incident(id))!.detectedAt, "2026-01-17T13:40:00.000Z");
    assert.equal((await j.incident(id))!.drill, true);
    const long = `Production was repaired by hand outside Lifeboat. ${"x".repeat(400)}\nSecond line.`;
    const note = await addNote(j, { text: long });
    assert.match(
      note.summary,
      /^Note: Production was repaired by hand outside Lifeboat\. x+… \(4\d\d chars in full\)$/,
    );
    assert.equal(note.details.text, long);
    const step = await recordRunbookStep(j, {
      runbook: "weekly-backup-test",
      step: "result",
      title: "Record the result",
      outcome: "ok",
      value: long,
    });
    assert.equal(step.incident, id);
    assert.match(step.summary, /— Production was repaired.*… \(/);
    assert.equal(step.details.value, long);
    const real = await openJournal({ dir: fresh() });
    const opened = await openIncident(real, { title: "Outage", severity: "SEV1", scenario: "database-loss" });
    assert.equal(opened.record.details.drill, undefined);
    assert.match(opened.record.summary, /^Incident opened/);
    await real.close();
    await j.close();
  });

  test("incident ids carry the UTC minute", () => {
    assert.equal(
      newIncidentId(new Date("2026-01-17T14:38:59Z"), () => 0.5),
      "inc-20260117-1438-8000",
    );
  });
});
