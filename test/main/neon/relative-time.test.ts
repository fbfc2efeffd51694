import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseDuration, parseRelativeTime } from "../../../src/main/neon/relative-time.ts";

const NOW = new Date("2026-01-17T14:30:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe("parseRelativeTime", () => {
  const cases: Array<[string, number]> = [
    ["1 hour ago", 3_600_000],
    ["24 hours ago", 86_400_000],
    ["90 minutes ago", 5_400_000],
    ["2 days ago", 172_800_000],
    ["30s ago", 30_000],
    ["30 s ago", 30_000],
    ["1 second ago", 1_000],
    ["45 secs ago", 45_000],
    ["5 min ago", 300_000],
    ["5 mins ago", 300_000],
    ["5m ago", 300_000],
    ["2h ago", 7_200_000],
    ["3 hrs ago", 10_800_000],
    ["1 week ago", 604_800_000],
    ["2w ago", 1_209_600_000],
    ["1h30m ago", 5_400_000],
    ["1 hour 30 minutes ago", 5_400_000],
    ["1 hour, 30 minutes ago", 5_400_000],
    ["1 day and 2 hours ago", 93_600_000],
    ["1.5 hours ago", 5_400_000],
    ["an hour ago", 3_600_000],
    ["a day ago", 86_400_000],
    ["  24 HOURS AGO  ", 86_400_000],
    ["0 seconds ago", 0],
  ];
  for (const [text, ms] of cases) {
    test(JSON.stringify(text), () => {
      assert.equal(parseRelativeTime(text, NOW)?.toISOString(), ago(ms));
    });
  }

  const bad = [
    "",
    "ago",
    "24 ago",
    "hours ago",
    "24 hours",
    "in 24 hours",
    "-1 hour ago",
    "1 month ago",
    "1 year ago",
    "1 hour 2 hours ago",
    "1 fortnight ago",
    "yesterday",
    "1 hour ago please",
    "1e3 seconds ago",
    "2026-01-17 ago",
  ];
  for (const text of bad) {
    test(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseRelativeTime(text, NOW), undefined);
    });
  }

  test("is measured from the given now, not the wall clock", () => {
    const other = new Date("2020-02-29T00:00:00Z");
    assert.equal(parseRelativeTime("1 day ago", other)?.toISOString(), "2020-02-28T00:00:00.000Z");
  });
});

describe("parseDuration", () => {
  test("durations without 'ago' (the drill offset)", () => {
    assert.equal(parseDuration("24 hours"), 86_400_000);
    assert.equal(parseDuration("24h"), 86_400_000);
    assert.equal(parseDuration("90 seconds"), 90_000);
    assert.equal(parseDuration("1d12h"), 129_600_000);
  });
  test("a bare number is refused (hours or minutes?)", () => {
    assert.equal(parseDuration("24"), undefined);
    assert.equal(parseDuration("   "), undefined);
  });
});
