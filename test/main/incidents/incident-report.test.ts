import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { IncidentReportBuilder } from "../../../src/main/incidents/incident-report.ts";

let seq = 0;
function rec(
  ts: string,
  kind: string,
  details: Record<string, unknown> = {},
  outcome: JournalRecord["outcome"] = "info",
  durationMs?: number,
): JournalRecord {
  seq++;
  return {
    v: 1,
    seq,
    ts,
    actor: { user: "dba", host: "h" },
    incident: "inc-1",
    kind,
    summary: `${kind} ${seq}`,
    details,
    outcome,
    ...(durationMs !== undefined ? { durationMs } : {}),
    prev: "",
    hash: "",
  };
}

function report(records: JournalRecord[], now = new Date("2026-01-17T16:00:00Z")) {
  const b = new IncidentReportBuilder("inc-1", now);
  records.forEach((r) => b.add(r));
  return b.finish();
}

const open = (details: Record<string, unknown> = {}) =>
  rec("2026-01-17T14:10:00Z", "incident.open", {
    title: "T",
    severity: "SEV1",
    scenario: "data-corruption",
    detectedAt: "2026-01-17T14:00:00Z",
    ...details,
  });

describe("incident report", () => {
  test("RTO runs from detection to the service-restored marker, against the 30 min default", () => {
    const r = report([
      open(),
      rec("2026-01-17T14:40:00Z", "incident.service-restored", { at: "2026-01-17T14:25:00Z" }),
    ]);
    assert.equal(r.rto.achievedMs, 25 * 60_000);
    assert.equal(r.rto.met, true);
    assert.equal(r.targets.rtoMinutes, 30);
    const late = report([
      open(),
      rec("2026-01-17T14:40:00Z", "incident.service-restored", { at: "2026-01-17T14:31:00Z" }),
    ]);
    assert.equal(late.rto.met, false);
  });

  test("without a restore marker the clock is still running (to close, or to now)", () => {
    assert.equal(report([open()]).rto.elapsedMs, 2 * 3600_000);
    const closed = report([open(), rec("2026-01-17T15:00:00Z", "incident.close")]);
    assert.equal(closed.rto.elapsedMs, 3600_000);
    assert.equal(closed.rto.met, undefined);
  });

  test("RPO is corruption time minus the recovery point a successful operation used", () => {
    const r = report([
      open({ corruptionTime: "2026-01-17T13:55:00Z" }),
      rec("2026-01-17T14:12:00Z", "operator.note", { text: "plan", recoveryPoint: "2026-01-17T13:00:00Z" }),
      rec(
        "2026-01-17T14:15:00Z",
        "neon.recover-to",
        { recoveryPoint: "2026-01-17T13:54:59Z", startSeq: 0 },
        "ok",
        1000,
      ),
      rec("2026-01-17T14:16:00Z", "operator.note", { text: "second thoughts", recoveryPoint: "2026-01-17T12:00:00Z" }),
    ]);
    assert.equal(r.rpo.recoveryPoint, "2026-01-17T13:54:59Z");
    assert.equal(r.rpo.achievedMs, 1000);
    assert.equal(r.rpo.met, true);
    assert.equal(r.rpo.basis, "corruption-time");
  });

  test("a recovery point after the corruption is flagged; without a corruption time detection bounds the loss", () => {
    const bad = report([
      open({ corruptionTime: "2026-01-17T13:55:00Z" }),
      rec("2026-01-17T14:15:00Z", "restore.run", { recoveryPoint: "2026-01-17T13:56:00Z" }, "ok"),
    ]);
    assert.equal(bad.rpo.met, false);
    assert.match(bad.rpo.note!, /may still contain the damage/);
    const bound = report([
      open(),
      rec("2026-01-17T14:15:00Z", "restore.run", { recoveryPoint: "2026-01-17T13:59:30Z" }, "ok"),
    ]);
    assert.equal(bound.rpo.basis, "detection-time");
    assert.equal(bound.rpo.achievedMs, 30_000);
    assert.equal(report([open()]).rpo.achievedMs, undefined);
  });

  test("targets from the incident override the defaults", () => {
    const r = report([
      open({ targets: { rtoMinutes: 10, rpoMinutes: 5 } }),
      rec("2026-01-17T14:20:00Z", "incident.service-restored"),
    ]);
    assert.equal(r.targets.rtoMinutes, 10);
    assert.equal(r.rto.achievedMs, 20 * 60_000);
    assert.equal(r.rto.met, false);
  });

  test("operations pair their start and end; checklist, notes and follow-ups are collected", () => {
    seq = 100;
    const start = rec("2026-01-17T14:11:00Z", "restore.run", {}, "started");
    const r = report([
      open(),
      start,
      rec(
        "2026-01-17T14:13:00Z",
        "restore.run",
        { startSeq: start.seq, error: { code: "RESTORE_FAILED", message: "pg_restore exited 1" } },
        "failed",
        120_000,
      ),
      rec("2026-01-17T14:14:00Z", "operator.step", { item: "Verify data integrity", done: true }, "ok"),
      rec("2026-01-17T14:15:00Z", "operator.decision", { text: "use the branch" }),
      rec("2026-01-17T14:16:00Z", "operator.follow-up", { text: "add alerts" }),
      rec("2026-01-17T14:17:00Z", "journal.export", {}, "ok"),
    ]);
    assert.equal(r.operations.length, 1, "journal bookkeeping is not an operation");
    assert.deepEqual(r.operations[0], {
      seq: start.seq,
      kind: "restore.run",
      summary: start.summary,
      outcome: "failed",
      startedAt: start.ts,
      endedAt: "2026-01-17T14:13:00Z",
      durationMs: 120_000,
      error: "pg_restore exited 1",
    });
    assert.deepEqual(
      r.checklist.filter((c) => c.done).map((c) => c.item),
      ["Verify data integrity"],
    );
    assert.equal(r.decisions[0]!.text, "use the branch");
    assert.equal(r.followUps[0]!.text, "add alerts");
    assert.equal(r.contacts[3]!.contact, "support@neon.tech");
    assert.equal(r.counts.byOutcome.failed, 1);
  });

  test("checklist ticks count by id, whether recorded with an id or, before ids, with the item's text", () => {
    const r = report([
      open(),
      // Written before ticks carried ids: the text as it read then.
      rec("2026-01-17T14:14:00Z", "operator.step", { item: "Verify data integrity", number: 1, done: true }, "ok"),
      // Written since: the id decides, whatever text the record holds.
      rec("2026-01-17T14:15:00Z", "operator.step", { itemId: "smoke-test", item: "Smoke tests (old wording)" }, "ok"),
      rec("2026-01-17T14:16:00Z", "operator.step", { itemId: "no-such-item", item: "Notify team" }, "ok"),
      rec("2026-01-17T14:17:00Z", "operator.step", { item: "Make coffee" }, "ok"),
    ]);
    assert.deepEqual(
      r.checklist.filter((c) => c.done).map((c) => [c.id, c.item, c.at]),
      [
        ["verify-integrity", "Verify data integrity", "2026-01-17T14:14:00Z"],
        ["smoke-test", "Smoke test all API endpoints", "2026-01-17T14:15:00Z"],
      ],
    );
    assert.equal(r.checklist.length, 8);
  });
});
