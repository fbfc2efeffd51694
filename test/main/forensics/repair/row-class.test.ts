import { test } from "node:test";
import assert from "node:assert/strict";
import { classifyThree, classifyTwo } from "../../../../src/main/forensics/repair/row-class.ts";

const cls = (v: ReturnType<typeof classifyThree>) => (v.kind === "damage" ? v.class : v.kind);
const _ = undefined;

test("three states: every combination of before, damaged and now", () => {
  const cases: [string | undefined, string | undefined, string | undefined, string][] = [
    ["a", "a", "a", "unchanged"],
    ["a", "a", "b", "later"], // changed after the incident
    ["a", "a", _, "later"], // deleted after the incident
    ["a", _, _, "reinsert"],
    ["a", _, "a", "repaired"], // put back already
    ["a", _, "c", "conflict"], // deleted, then written again with other values
    ["a", "b", "b", "restore"],
    ["a", "b", "a", "repaired"],
    ["a", "b", "c", "conflict"],
    ["a", "b", _, "conflict"], // changed by the incident, deleted since
    [_, "b", "b", "inserted"],
    [_, "b", "c", "inserted"],
    [_, "b", _, "repaired"],
    [_, _, "c", "later"],
  ];
  for (const [b, d, n, want] of cases) assert.equal(cls(classifyThree(b, d, n)), want, `${b} ${d} ${n}`);
  assert.match((classifyThree("a", "b", "c") as { note: string }).note, /changed again since/);
});

test("two states: a difference is a conflict unless the audit table attributes it", () => {
  assert.equal(cls(classifyTwo("a", "a", false)), "unchanged");
  assert.equal(cls(classifyTwo("a", "b", false)), "conflict");
  assert.equal(cls(classifyTwo("a", "b", true)), "restore");
  assert.equal(cls(classifyTwo("a", _, false)), "conflict");
  assert.equal(cls(classifyTwo("a", _, true)), "reinsert");
  assert.equal(cls(classifyTwo(_, "b", false)), "later");
  assert.equal(cls(classifyTwo(_, "b", true)), "inserted");
});
