import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  burstOnset,
  lastGoodSecond,
  rankBursts,
  suggestion,
  type BucketCount,
} from "../../../src/main/forensics/burst-ranking.ts";

const BUCKET = 60;
const at = (iso: string) => Date.parse(iso);
const bucketOf = (ms: number) => Math.floor(ms / 1000 / BUCKET);

function cell(table: string, action: string, firstIso: string, count: number, spreadMs = 500): BucketCount {
  const first = at(firstIso);
  return {
    table,
    bucket: bucketOf(first),
    action,
    count,
    firstMs: first,
    lastMs: first + spreadMs,
    sampleRecordIds: [String(count)],
  };
}

/** Two events a minute on each of three tables for an hour before 14:00. */
function background(): BucketCount[] {
  const out: BucketCount[] = [];
  for (let m = 0; m < 60; m++) {
    const t = new Date(at("2026-01-17T13:00:10Z") + m * 60_000).toISOString();
    for (const table of ["Patient", "ClinicalNote", "LabResult"]) out.push(cell(table, "UPDATE", t, 2));
  }
  return out;
}

describe("burst ranking", () => {
  test("the last good second is the whole second before the first bad event", () => {
    assert.equal(new Date(lastGoodSecond(at("2026-01-17T14:35:00.000Z"))).toISOString(), "2026-01-17T14:34:59.000Z");
    assert.equal(new Date(lastGoodSecond(at("2026-01-17T14:35:00.999Z"))).toISOString(), "2026-01-17T14:34:59.000Z");
  });

  test("a bulk delete stands out against the usual rate; its first event gives the recovery point", () => {
    const counts = [...background(), cell("ClinicalNote", "DELETE", "2026-01-17T13:35:00.250Z", 60)];
    const r = rankBursts(counts, { bucketSeconds: BUCKET, windowBuckets: 60 });
    assert.equal(r.worst?.table, "ClinicalNote");
    assert.equal(r.worst?.count, 60 + 2);
    assert.equal(r.worst?.action, "DELETE");
    const s = suggestion(r.incident, r.reasoning);
    assert.equal(s.firstBadAt, "2026-01-17T13:35:00.250Z");
    assert.equal(s.suggestedRecoveryPoint, "2026-01-17T13:34:59.000Z");
    assert.ok(r.bursts.every((b) => b.anomalous));
    assert.equal(r.bursts.length, 1, "the background buckets are not bursts");
  });

  test("a burst straddling a bucket boundary is one burst, dated from its first half", () => {
    const counts = [
      ...background().filter((c) => c.table !== "ClinicalNote"),
      cell("ClinicalNote", "DELETE", "2026-01-17T13:35:59.500Z", 40),
      cell("ClinicalNote", "DELETE", "2026-01-17T13:36:00.000Z", 80),
    ];
    const r = rankBursts(counts, { bucketSeconds: BUCKET, windowBuckets: 60 });
    assert.equal(r.bursts.length, 1);
    assert.equal(r.worst?.buckets, 2);
    assert.equal(suggestion(r.incident, r.reasoning).suggestedRecoveryPoint, "2026-01-17T13:35:58.000Z");
  });

  test("an overlapping burst on another table moves the point earlier (one incident)", () => {
    const counts = [
      ...background(),
      cell("ClinicalNote", "DELETE", "2026-01-17T13:35:02Z", 200),
      cell("Prescription", "UPDATE", "2026-01-17T13:35:01.100Z", 30),
    ];
    const r = rankBursts(counts, { bucketSeconds: BUCKET, windowBuckets: 60 });
    assert.equal(r.worst?.table, "ClinicalNote");
    assert.deepEqual(r.incident.map((b) => b.table).sort(), ["ClinicalNote", "Prescription"]);
    assert.equal(suggestion(r.incident, r.reasoning).suggestedRecoveryPoint, "2026-01-17T13:35:00.000Z");
  });

  test("a busy table's normal rate is not a burst; a quiet table's small spike can be", () => {
    const busy: BucketCount[] = [];
    for (let m = 0; m < 60; m++)
      busy.push(
        cell("AuditHeavy", "UPDATE", new Date(at("2026-01-17T13:00:00Z") + m * 60_000).toISOString(), 50 + (m % 5)),
      );
    const r = rankBursts([...busy, cell("User", "DELETE", "2026-01-17T13:20:00Z", 12)], {
      bucketSeconds: BUCKET,
      windowBuckets: 60,
    });
    assert.deepEqual(
      r.bursts.map((b) => b.table),
      ["User"],
    );
  });

  test("nothing unusual: no suggestion, the busiest buckets listed and said to be ordinary", () => {
    const r = rankBursts(background(), { bucketSeconds: BUCKET, windowBuckets: 60 });
    assert.equal(r.worst, undefined);
    assert.equal(r.incident.length, 0);
    assert.ok(r.bursts.length > 0 && r.bursts.every((b) => !b.anomalous));
    assert.match(r.reasoning.join(" "), /No bucket stands out/);
    assert.equal(rankBursts([], { bucketSeconds: BUCKET, windowBuckets: 60 }).bursts.length, 0);
  });

  test("the onset inside a bucket skips routine events before the burst", () => {
    const routine = [at("2026-01-17T13:35:05Z"), at("2026-01-17T13:35:31Z")];
    const burst = Array.from({ length: 50 }, (_, i) => at("2026-01-17T13:35:50.100Z") + i * 40);
    assert.equal(burstOnset([...burst, ...routine], 2, BUCKET), at("2026-01-17T13:35:50.100Z"));
    // Events a second apart are one burst even when the table is usually quiet.
    assert.equal(burstOnset([1000, 2000, 3000, 3500], 0, BUCKET), 1000);
    assert.equal(burstOnset([], 2, BUCKET), undefined);
  });
});
