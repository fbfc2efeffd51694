import { test } from "node:test";
import assert from "node:assert/strict";
import { drillChannels } from "../../../../src/shared/api/channels/neon-channels.ts";

const result = drillChannels["drill.neon"].result;

test("a failed drill keeps why it failed through the contract: failures, warnings and the stopping error reach the console", () => {
  const engine = {
    pass: false,
    profile: "clinic",
    offset: "24 hours",
    phases: [{ name: "count", ok: false, durationMs: 12, detail: "Patient dropped" }],
    counts: [{ table: "Patient", rows: 90, previous: 150 }],
    failures: ['"Patient": 90 rows, 40% fewer than the last run (150)'],
    warnings: ["the test branch backup-test-2026-12-07 could not be deleted"],
    error: {
      code: "NEON_UNREACHABLE",
      message: "Neon did not answer",
      hint: "Check the network.",
      details: { host: "console.neon.tech" },
    },
    durationMs: 900,
  };
  const parsed = result.parse(engine);
  assert.deepEqual(parsed.failures, engine.failures);
  assert.deepEqual(parsed.warnings, engine.warnings);
  assert.deepEqual(
    parsed.error,
    { code: "NEON_UNREACHABLE", message: "Neon did not answer", hint: "Check the network." },
    "details stay in the journal, not the renderer",
  );
});

test("a drill result without its failures list is refused: a FAIL must always be able to say why", () => {
  assert.throws(() => result.parse({ pass: false, phases: [], counts: [], warnings: [], durationMs: 1 }));
});
