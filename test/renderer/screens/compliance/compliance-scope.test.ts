// The Compliance screen's form, as the request the engine gets: empty dates leave the period to the engine (the twelve
// months up to now), today as the end means now, a profile narrows it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_SCOPE_FORM, scopeOf } from "../../../../src/renderer/src/screens/compliance/compliance-scope.ts";

test("the default form asks for every profile over the engine's default period", () => {
  assert.deepEqual(scopeOf(DEFAULT_SCOPE_FORM, "2026-12-08"), { controlSet: "hipaa" });
});

test("a profile, a period and a control set are sent as chosen", () => {
  assert.deepEqual(
    scopeOf({ profile: "clinic", from: "2025-01-01", to: "2025-12-31", controlSet: "aws-backup" }, "2026-12-08"),
    { profiles: ["clinic"], from: "2025-01-01", to: "2025-12-31", controlSet: "aws-backup" },
  );
});

test("today (or a later day) as the end is now: the engine refuses a period ending in the future", () => {
  for (const to of ["2026-12-08", "2027-01-01"])
    assert.deepEqual(scopeOf({ ...DEFAULT_SCOPE_FORM, from: "2026-01-01", to }, "2026-12-08"), {
      from: "2026-01-01",
      controlSet: "hipaa",
    });
});
