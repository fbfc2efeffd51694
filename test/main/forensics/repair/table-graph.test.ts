import { test } from "node:test";
import assert from "node:assert/strict";
import { dependencyOrder, tablesToPlan, type ForeignKey } from "../../../../src/main/forensics/repair/table-graph.ts";

const fk = (child: string, parent: string, onDelete = "r", name = `${child}_${parent}_fkey`): ForeignKey => ({
  name,
  child,
  parent,
  onDelete,
  onUpdate: "c",
});

// ON UPDATE CASCADE is Prisma's default on every key: it spreads key changes, so children are followed through it.
const CLINIC = [
  fk("ClinicalNote", "Patient"),
  fk("ClinicalNote", "User"),
  fk("Prescription", "ClinicalNote", "n"),
  fk("Prescription", "Patient"),
  fk("RefreshToken", "User", "c"),
  fk("Audit", "User", "n"),
];

test("named tables, their parents one step, their children through every spreading action", () => {
  const r = tablesToPlan(["ClinicalNote"], CLINIC);
  assert.deepEqual(r.map((x) => x.table).sort(), ["ClinicalNote", "Patient", "Prescription", "User"]);
  assert.match(r.find((x) => x.table === "Prescription")!.reason, /refers to ClinicalNote .*ON DELETE SET NULL/);
  assert.match(r.find((x) => x.table === "User")!.reason, /referred to by ClinicalNote/);
  // Only named tables pull in their parents: Prescription's other parent is in because a named table holds it.
  const u = tablesToPlan(["User"], CLINIC).map((x) => x.table);
  assert.ok(u.includes("RefreshToken") && u.includes("Audit") && u.includes("ClinicalNote"));
});

test("without a spreading action, children of children are not followed", () => {
  const fks = [fk("B", "A", "r", "b"), fk("C", "B", "r", "c")].map((f) => ({ ...f, onUpdate: "a" }));
  assert.deepEqual(
    tablesToPlan(["A"], fks).map((x) => x.table),
    ["A", "B"],
  );
});

test("parents before children; a cycle keeps its order and is named", () => {
  const { order, cycle } = dependencyOrder(["Prescription", "ClinicalNote", "Patient", "User"], CLINIC);
  assert.deepEqual(order, ["Patient", "User", "ClinicalNote", "Prescription"]);
  assert.deepEqual(cycle, []);
  const c = dependencyOrder(["X", "Y", "Z"], [fk("X", "Y"), fk("Y", "X"), fk("Z", "X")]);
  assert.deepEqual(c.cycle, ["X", "Y", "Z"]);
});
