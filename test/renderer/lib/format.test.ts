import { test } from "node:test";
import assert from "node:assert/strict";
import {
  formatAge,
  formatBytes,
  formatClock,
  formatDuration,
  formatNumber,
  formatTime,
} from "../../../src/renderer/src/lib/format.ts";

test("sizes, counts and durations read the way an operator says them", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1536), "1.5 KB");
  assert.equal(formatBytes(438 * 1024), "438 KB");
  assert.equal(formatBytes(3.25 * 1024 ** 3), "3.3 GB");
  assert.equal(formatBytes(undefined), "—");
  assert.equal(formatNumber(1234567), "1,234,567");
  assert.equal(formatDuration(850), "850 ms");
  assert.equal(formatDuration(7_000), "7.0 s");
  assert.equal(formatDuration(125_000), "2 min 5 s");
  assert.equal(formatDuration(3 * 3600_000 + 12 * 60_000), "3 h 12 min");
  assert.equal(formatDuration(50 * 3600_000), "2 days 2 h");
});

test("times are UTC and say so; ages and clocks count from now", () => {
  assert.equal(formatTime("2026-01-17T14:29:59.123Z"), "2026-01-17 14:29:59 UTC");
  assert.equal(formatTime("not a time"), "not a time");
  const now = Date.parse("2026-01-17T15:00:00Z");
  assert.equal(formatAge("2026-01-17T14:59:30Z", now), "30 s ago");
  assert.equal(formatAge("2026-01-17T15:00:30Z", now), "in 30 s");
  assert.equal(formatClock(65_000), "01:05");
  assert.equal(formatClock(3_725_000), "1:02:05");
  assert.equal(formatClock(-5_000), "-00:05");
});
