import assert from "node:assert/strict";
import { test } from "node:test";
import {
  cadenceMs,
  nextOccurrence,
  occurrencesBetween,
  previousOccurrence,
} from "../../../src/shared/schedule/occurrences.ts";

const H = 3_600_000;

test("the previous occurrence includes now, the next one is strictly after", () => {
  const at = new Date("2026-03-10T02:00:00Z");
  assert.equal(previousOccurrence("daily at 02:00", "UTC", at).toISOString(), at.toISOString());
  assert.equal(nextOccurrence("daily at 02:00", "UTC", at).toISOString(), "2026-03-11T02:00:00.000Z");
  assert.equal(
    previousOccurrence("daily at 02:00", "UTC", new Date("2026-03-10T01:59:59Z")).toISOString(),
    "2026-03-09T02:00:00.000Z",
  );
});

test("times are in the schedule's zone, across a DST change", () => {
  // 29 March 2026: Europe/Berlin goes from UTC+1 to UTC+2.
  const before = previousOccurrence("daily at 03:00", "Europe/Berlin", new Date("2026-03-28T12:00:00Z"));
  const after = previousOccurrence("daily at 03:00", "Europe/Berlin", new Date("2026-03-30T12:00:00Z"));
  assert.equal(before.toISOString(), "2026-03-28T02:00:00.000Z");
  assert.equal(after.toISOString(), "2026-03-30T01:00:00.000Z");
});

test("cadence is the longest gap between occurrences", () => {
  const from = new Date("2026-01-01T00:00:00Z");
  assert.equal(cadenceMs("daily at 02:00", "UTC", from), 24 * H);
  assert.equal(cadenceMs("every 6 hours", "UTC", from), 6 * H);
  assert.equal(cadenceMs("weekly on mon, thu at 09:00", "UTC", from), 4 * 24 * H);
  assert.equal(cadenceMs("quarterly on day 1 at 04:00", "UTC", from), 92 * 24 * H);
});

test("occurrences in a gap, for catching up", () => {
  const missed = occurrencesBetween(
    "daily at 02:00",
    "UTC",
    new Date("2026-03-01T03:00:00Z"),
    new Date("2026-03-04T12:00:00Z"),
  );
  assert.deepEqual(
    missed.map((d) => d.toISOString()),
    ["2026-03-02T02:00:00.000Z", "2026-03-03T02:00:00.000Z", "2026-03-04T02:00:00.000Z"],
  );
});
