import assert from "node:assert/strict";
import { test } from "node:test";
import { assertInWindow, parseTargetTime } from "../../../src/main/sandbox/history-window.ts";
import { NeonApiError } from "../../../src/main/sandbox/neon-error.ts";

test("RFC 3339 timestamps become recovery_target_time literals without the Z abbreviation, keeping microseconds", () => {
  assert.deepEqual(parseTargetTime("2026-01-17T14:29:59Z", "t"), {
    at: new Date("2026-01-17T14:29:59Z"),
    literal: "2026-01-17 14:29:59+00",
    iso: "2026-01-17T14:29:59.000Z",
  });
  const micro = parseTargetTime("2026-01-17T14:29:59.123456Z", "t");
  assert.equal(micro.literal, "2026-01-17 14:29:59.123456+00");
  assert.equal(micro.at.toISOString(), "2026-01-17T14:29:59.123Z");
  assert.equal(parseTargetTime("2026-01-17T16:29:59+02:00", "t").at.toISOString(), "2026-01-17T14:29:59.000Z");
  assert.equal(parseTargetTime("2026-01-17T16:29:59+02:00", "t").literal, "2026-01-17 16:29:59+02:00");
});

test("unparsable times, times in the future and times before the window are refused with 400 and a clear message", () => {
  for (const bad of ["24 hours ago", "2026-01-17", "2026-13-40T99:00:00Z", 12, null]) {
    assert.throws(
      () => parseTargetTime(bad, "parent_timestamp"),
      (e: unknown) =>
        e instanceof NeonApiError &&
        e.status === 400 &&
        /parent_timestamp must be an RFC 3339 timestamp/.test(e.message),
    );
  }
  const window = { earliest: new Date("2026-01-17T10:00:00Z"), now: new Date("2026-01-17T12:00:00Z") };
  assert.doesNotThrow(() => assertInWindow(parseTargetTime("2026-01-17T10:00:00Z", "t"), window, "t"));
  assert.doesNotThrow(() => assertInWindow(parseTargetTime("2026-01-17T12:00:00Z", "t"), window, "t"));
  assert.throws(
    () => assertInWindow(parseTargetTime("2026-01-17T12:00:01Z", "t"), window, "parent_timestamp"),
    (e: unknown) => e instanceof NeonApiError && e.status === 400 && /is in the future/.test(e.message),
  );
  assert.throws(
    () => assertInWindow(parseTargetTime("2026-01-17T09:59:59Z", "t"), window, "parent_timestamp"),
    (e: unknown) =>
      e instanceof NeonApiError &&
      e.status === 400 &&
      /outside the project's history retention window: the earliest point that can be restored is 2026-01-17T10:00:00Z/.test(
        e.message,
      ),
  );
});
