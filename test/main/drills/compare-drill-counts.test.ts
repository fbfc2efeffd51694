import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareDrillCounts } from "../../../src/main/drills/compare-drill-counts.ts";
import { tableLabel } from "../../../src/main/drills/drill-report.ts";
import { drillOffsetMs } from "../../../src/main/drills/neon-drill.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import { neonProfile } from "../neon/neon-test-profile.ts";

describe("compareDrillCounts", () => {
  const prev = new Map([
    ["Patient", 150],
    ["ClinicalNote", 423],
    ["AuditLog", 0],
  ]);

  test("first run: nothing to compare, passes", () => {
    const r = compareDrillCounts([{ table: "Patient", rows: 150 }], undefined, 10);
    assert.deepEqual(r, { counts: [{ table: "Patient", rows: 150 }], failures: [] });
  });

  test("growth and small drops pass; previous counts are carried", () => {
    const r = compareDrillCounts(
      [
        { table: "Patient", rows: 160 },
        { table: "ClinicalNote", rows: 381 },
        { table: "AuditLog", rows: 0 },
      ],
      prev,
      10,
    );
    assert.deepEqual(r.failures, []);
    assert.deepEqual(
      r.counts.map((c) => c.previous),
      [150, 423, 0],
    );
  });

  test("a drop beyond the limit fails, naming the table and the numbers", () => {
    const r = compareDrillCounts(
      [
        { table: "Patient", rows: 90 },
        { table: "ClinicalNote", rows: 423 },
      ],
      prev,
      10,
    );
    assert.deepEqual(r.failures, ['"Patient" fell from 150 to 90 rows (-40.0%, more than the 10% allowed)']);
  });

  test("exactly at the limit passes; a limit of 0 catches any loss", () => {
    assert.deepEqual(compareDrillCounts([{ table: "Patient", rows: 135 }], prev, 10).failures, []);
    assert.equal(compareDrillCounts([{ table: "Patient", rows: 149 }], prev, 0).failures.length, 1);
  });

  test("a missing table fails; a table new since last time has previous null", () => {
    const r = compareDrillCounts(
      [
        { table: "Patient", rows: null },
        { table: "LabResult", rows: 5 },
      ],
      prev,
      10,
    );
    assert.deepEqual(r.failures, ['table "Patient" does not exist on the test branch (it had 150 rows last time)']);
    assert.equal(r.counts[1]!.previous, null);
  });
});

test("tableLabel reads like the seed's report", () => {
  assert.deepEqual(
    [
      "Patient",
      "ClinicalNote",
      "User",
      "Prescription",
      "LabResult",
      "AuditLog",
      "public.Category",
      "refresh_tokens",
    ].map(tableLabel),
    [
      "Patients",
      "Clinical Notes",
      "Users",
      "Prescriptions",
      "Lab Results",
      "Audit Logs",
      "Categories",
      "refresh tokens",
    ],
  );
});

test("drill offsets: the profile's, durations with or without 'ago', and refusal; none given: the plan decides", () => {
  const p = neonProfile("http://127.0.0.1:9/api/v2");
  assert.equal(drillOffsetMs(p), undefined);
  assert.equal(
    drillOffsetMs(
      neonProfile("http://x/api/v2", { drill: { offsetHours: 0.5, tables: ["Patient"], maxDropPercent: 10 } }),
    ),
    1_800_000,
  );
  assert.equal(drillOffsetMs(p, "24 hours ago"), 86_400_000);
  assert.equal(drillOffsetMs(p, "90 minutes"), 5_400_000);
  for (const bad of ["soon", "0 s", "24"]) {
    assert.throws(
      () => drillOffsetMs(p, bad),
      (e) => isLifeboatError(e) && e.code === "USAGE",
    );
  }
});
