import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checklistIdOfTick,
  matchChecklistItem,
  POST_RECOVERY_CHECKLIST,
  SEVERITIES,
  SEVERITY_MEANINGS,
} from "../../src/shared/incident.ts";

test("checklist items match by number, id, exact text or unique prefix", () => {
  assert.equal(matchChecklistItem("1")?.text, "Verify data integrity");
  assert.equal(matchChecklistItem("8")?.text, "Implement prevention measures");
  assert.equal(matchChecklistItem("9"), undefined);
  assert.equal(matchChecklistItem("check AUDIT logs for gaps")?.text, "Check audit logs for gaps");
  assert.equal(matchChecklistItem("update")?.text, "Update RTO/RPO estimates if needed");
  assert.equal(matchChecklistItem(""), undefined);
  assert.equal(matchChecklistItem("smoke-test")?.text, "Smoke test all API endpoints");
  assert.equal(matchChecklistItem("make coffee"), undefined);
});

test("checklist ids are stable: journals record them, so renaming one orphans every earlier tick", () => {
  assert.deepEqual(
    POST_RECOVERY_CHECKLIST.map((i) => i.id),
    [
      "verify-integrity",
      "smoke-test",
      "audit-log-gaps",
      "notify-team",
      "post-mortem",
      "update-targets",
      "review-cause",
      "prevention",
    ],
  );
});

test("a tick names its item by id; a tick from before ids names it by the text it had then", () => {
  assert.equal(checklistIdOfTick({ itemId: "smoke-test", item: "Smoke test every endpoint (reworded)" }), "smoke-test");
  assert.equal(checklistIdOfTick({ item: "Verify data integrity", done: true }), "verify-integrity");
  assert.equal(checklistIdOfTick({ item: "Implement prevention measures" }), "prevention");
  assert.equal(checklistIdOfTick({ item: "make coffee" }), undefined);
  assert.equal(checklistIdOfTick({ text: "a runbook record, not a tick" }), undefined);
  // Every item of the checklist as it read before ids is still recognised.
  for (const { id, text } of POST_RECOVERY_CHECKLIST) assert.equal(checklistIdOfTick({ item: text }), id);
});

test("every severity says what it means", () => {
  for (const s of SEVERITIES) assert.ok(SEVERITY_MEANINGS[s].length > 5, s);
});
