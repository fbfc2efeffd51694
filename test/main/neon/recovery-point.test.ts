import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import { describePoint, neonTimestamp, parseRecoveryPoint } from "../../../src/main/neon/recovery-point.ts";
import { assertInWindow, historyWindow } from "../../../src/main/neon/history-window.ts";

const NOW = new Date("2026-01-17T14:30:00Z");

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isLifeboatError(e), String(e));
    assert.equal(e.code, "USAGE");
    return `${e.message} ${e.hint}`;
  }
  assert.fail("expected a USAGE error");
}

describe("parseRecoveryPoint", () => {
  const at = (s: string) => {
    const p = parseRecoveryPoint(s, NOW);
    assert.equal(p.kind, "timestamp");
    return p.kind === "timestamp" ? p.at.toISOString() : "";
  };

  test("the seed's form and ISO forms", () => {
    assert.equal(at("2026-01-17 14:29:59 UTC"), "2026-01-17T14:29:59.000Z");
    assert.equal(at("2026-01-17T14:29:59Z"), "2026-01-17T14:29:59.000Z");
    assert.equal(at("2026-01-17T14:29:59.250Z"), "2026-01-17T14:29:59.250Z");
    assert.equal(at("2026-01-17T14:29:59.123456Z"), "2026-01-17T14:29:59.123Z");
    assert.equal(at("2026-01-17 15:29:59+01:00"), "2026-01-17T14:29:59.000Z");
    assert.equal(at("2026-01-17T09:29:59-0500"), "2026-01-17T14:29:59.000Z");
    assert.equal(at("2026-01-17T16:29:59+02"), "2026-01-17T14:29:59.000Z");
    assert.equal(at("2026-01-17 14:29 GMT"), "2026-01-17T14:29:00.000Z");
    assert.equal(at("2026-01-17 14:29:59 utc"), "2026-01-17T14:29:59.000Z");
  });

  test("relative times", () => {
    const p = parseRecoveryPoint("1 hour ago", NOW);
    assert.deepEqual(p.kind === "timestamp" && [p.at.toISOString(), p.relative], ["2026-01-17T13:30:00.000Z", true]);
    assert.equal(describePoint(p), "2026-01-17T13:30:00Z (1 hour ago)");
  });

  test("LSNs, normalised to upper case", () => {
    assert.deepEqual(parseRecoveryPoint("0/1a2b3c4", NOW), { kind: "lsn", lsn: "0/1A2B3C4", input: "0/1a2b3c4" });
    assert.equal(parseRecoveryPoint("16/B374D848", NOW).kind, "lsn");
  });

  test("a time without a zone is refused, naming the fix", () => {
    const text = usage(() => parseRecoveryPoint("2026-01-17 14:29:59", NOW));
    assert.match(text, /no time zone/);
    assert.match(text, /2026-01-17 14:29:59 UTC/);
  });

  test("impossible dates are refused", () => {
    usage(() => parseRecoveryPoint("2026-02-30 10:00:00 UTC", NOW));
    usage(() => parseRecoveryPoint("2026-13-01 10:00:00 UTC", NOW));
    usage(() => parseRecoveryPoint("2026-01-17 24:00:00 UTC", NOW));
    usage(() => parseRecoveryPoint("2026-01-17 14:60:00 UTC", NOW));
  });

  test("anything else is USAGE with examples of every accepted form", () => {
    for (const s of ["yesterday", "", "1 month ago", "0/XYZ", "17/01/2026 14:29", "now-1h"]) {
      const text = usage(() => parseRecoveryPoint(s, NOW));
      assert.match(text, /2026-01-17 14:29:59 UTC/);
      assert.match(text, /0\/1A2B3C4/);
      assert.match(text, /1 hour ago/);
    }
  });

  test("Neon gets RFC 3339 UTC, whole seconds when there is no fraction", () => {
    assert.equal(neonTimestamp(new Date("2026-01-17T14:29:59Z")), "2026-01-17T14:29:59Z");
    assert.equal(neonTimestamp(new Date("2026-01-17T14:29:59.5Z")), "2026-01-17T14:29:59.500Z");
  });
});

describe("history window", () => {
  const project = { history_retention_seconds: 86_400, created_at: "2025-01-01T00:00:00Z" };
  const refused = (input: string, p = project) => {
    try {
      assertInWindow(parseRecoveryPoint(input, NOW), historyWindow(p, NOW));
    } catch (e) {
      assert.ok(isLifeboatError(e));
      assert.equal(e.code, "NEON_OUTSIDE_WINDOW");
      return e.message;
    }
    return undefined;
  };

  test("inside the window passes, at both edges", () => {
    assert.equal(refused("1 hour ago"), undefined);
    assert.equal(refused("24 hours ago"), undefined);
    assert.equal(refused("0s ago"), undefined);
  });

  test("before the window is refused, naming the earliest point", () => {
    assert.match(
      refused("25 hours ago")!,
      /before the earliest point Neon can restore to, 2026-01-16T14:30:00Z \(history window 1 d\)/,
    );
  });

  test("the future is refused", () => {
    assert.match(refused("2026-01-17 14:30:01 UTC")!, /in the future \(1\.0 s from now/);
  });

  test("never before the project existed", () => {
    const young = { history_retention_seconds: 604_800, created_at: "2026-01-17T12:00:00Z" };
    assert.equal(historyWindow(young, NOW).earliest.toISOString(), "2026-01-17T12:00:00.000Z");
    assert.match(refused("3 hours ago", young)!, /earliest point .* 2026-01-17T12:00:00Z/);
  });

  test("a zero window refuses every past time", () => {
    assert.ok(refused("1s ago", { history_retention_seconds: 0, created_at: "2025-01-01T00:00:00Z" }));
  });

  test("LSNs are left to Neon", () => {
    assert.equal(refused("0/1A2B3C4"), undefined);
  });
});
