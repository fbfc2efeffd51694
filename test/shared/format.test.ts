// One way to write a size, a duration and a time, for the terminal, the console and every export. The cases below were
// asserted on the copies this replaced (the console's lib/format.ts, the CLI's output.ts, the exports' export-format.ts,
// neon's formatDurationShort); where the single format reads differently, the new value is the one expected here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { formatBytes, formatDate, formatDuration, formatRate, formatTime } from "../../src/shared/format.ts";

test("sizes are binary (IEC) with at most three significant figures", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(438 * 1024), "438 KiB");
  assert.equal(formatBytes(1024 ** 3), "1.0 GiB");
  assert.equal(formatBytes(3.25 * 1024 ** 3), "3.3 GiB");
  assert.equal(formatBytes(812 * 1024 ** 2), "812 MiB");
  assert.equal(formatBytes(5 * 1024 ** 4), "5.0 TiB");
  assert.equal(formatBytes(-2048), "-2.0 KiB");
  assert.equal(formatBytes(undefined), "—");
  assert.equal(formatBytes(Number.NaN), "—");
  assert.equal(formatRate(8 * 1024 ** 2), "8.0 MiB/s");
  assert.equal(formatRate(undefined), "—");
});

test("durations: tenths of a second below ten seconds, then the two largest units", () => {
  assert.equal(formatDuration(0), "0.0 s");
  assert.equal(formatDuration(300), "0.3 s");
  assert.equal(formatDuration(870), "0.9 s");
  assert.equal(formatDuration(1_000), "1.0 s");
  assert.equal(formatDuration(7_000), "7.0 s");
  assert.equal(formatDuration(9_949), "9.9 s");
  assert.equal(formatDuration(9_950), "10 s");
  assert.equal(formatDuration(45_000), "45 s");
  assert.equal(formatDuration(59_600), "1 min");
  assert.equal(formatDuration(125_000), "2 min 5 s");
  assert.equal(formatDuration(22 * 60_000 + 50_000), "22 min 50 s");
  assert.equal(formatDuration(5_400_000), "1 h 30 min");
  assert.equal(formatDuration(3 * 3600_000 + 12 * 60_000), "3 h 12 min");
  assert.equal(formatDuration(24 * 3600_000), "1 d");
  assert.equal(formatDuration(50 * 3600_000), "2 d 2 h");
  assert.equal(formatDuration(604_800_000), "7 d");
  assert.equal(formatDuration(2_592_000_000 + 61_000), "30 d", "a minute is below what 30 days shows");
  assert.equal(formatDuration(-90_000), "-1 min 30 s");
  assert.equal(formatDuration(undefined), "—");
});

test("times are UTC and say so", () => {
  assert.equal(formatTime("2026-01-17T14:29:59.123Z"), "2026-01-17 14:29:59 UTC");
  assert.equal(formatTime("2026-01-17T15:29:59+01:00"), "2026-01-17 14:29:59 UTC");
  assert.equal(formatTime("not a time"), "not a time");
  assert.equal(formatTime(undefined), "—");
  assert.equal(formatTime(Date.UTC(2026, 0, 17, 14, 29, 59)), "2026-01-17 14:29:59 UTC", "epoch milliseconds");
  assert.equal(formatTime(Number.NaN), "—");
});

test("days are the UTC day", () => {
  assert.equal(formatDate("2026-01-17T23:59:59.999Z"), "2026-01-17");
  assert.equal(formatDate("2026-01-18T00:30:00+01:00"), "2026-01-17");
  assert.equal(formatDate(Date.UTC(2032, 11, 31, 2)), "2032-12-31");
  assert.equal(formatDate(undefined), "—");
  assert.equal(formatDate("not a day"), "not a day");
});
