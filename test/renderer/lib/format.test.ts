import { test } from "node:test";
import assert from "node:assert/strict";
import { formatAge, formatClock, formatNumber } from "../../../src/renderer/src/lib/format.ts";

test("counts read the way an operator says them", () => {
  assert.equal(formatNumber(1234567), "1,234,567");
  assert.equal(formatNumber(undefined), "—");
});

test("ages and clocks count from now", () => {
  const now = Date.parse("2026-01-17T15:00:00Z");
  assert.equal(formatAge("2026-01-17T14:59:30Z", now), "30 s ago");
  assert.equal(formatAge("2026-01-17T15:00:30Z", now), "in 30 s");
  assert.equal(formatClock(65_000), "01:05");
  assert.equal(formatClock(3_725_000), "1:02:05");
  assert.equal(formatClock(-5_000), "-00:05");
});
