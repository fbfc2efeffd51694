import { test } from "node:test";
import assert from "node:assert/strict";
import { failedExpectations, holds, resolveTemplate, templatePaths } from "../../../src/shared/runbooks/template.ts";

const ctx = {
  profile: { name: "prod" },
  inputs: { point: { at: "2026-01-17T14:29:59Z", column: "" } },
  results: { audit: { bursts: [{ table: "ClinicalNote" }, { table: "Patient" }], n: 3 } },
};

test("a whole-string placeholder keeps the value's type; mixed text is interpolated", () => {
  assert.deepEqual(resolveTemplate("{{results.audit.bursts}}", ctx), ctx.results.audit.bursts);
  assert.equal(resolveTemplate("{{results.audit.n}}", ctx), 3);
  assert.equal(
    resolveTemplate("table {{results.audit.bursts.0.table}} of {{profile.name}}", ctx),
    "table ClinicalNote of prod",
  );
  assert.equal(resolveTemplate("{{results.audit.bursts.last.table}}", ctx), "Patient");
  assert.equal(resolveTemplate("missing: {{results.nothing.here}}!", ctx), "missing: !");
});

test("filters make branch and database names; absent values drop optional payload keys", () => {
  assert.equal(resolveTemplate("recovery-{{inputs.point.at | stamp}}", ctx), "recovery-20260117-142959");
  assert.equal(resolveTemplate("restored_{{inputs.point.at | ustamp}}", ctx), "restored_20260117_142959");
  assert.equal(resolveTemplate("{{inputs.point.at | date}}", ctx), "2026-01-17");
  assert.deepEqual(
    resolveTemplate({ table: "t", column: "{{inputs.point.column | nonempty}}", gone: "{{nope}}" }, ctx),
    { table: "t" },
  );
  assert.throws(() => resolveTemplate("{{profile.name | shout}}", ctx), /unknown template filter/);
  assert.deepEqual(templatePaths({ a: ["{{x.y | stamp}}", "{{z}} and {{w.v}}"] }), ["x.y", "z", "w.v"]);
});

test("join and list carry a list through an editable text field and back", () => {
  const lists = { results: { audit: { tables: ["ClinicalNote", "Patient"] } }, inputs: { s: { t: " A, B ,, C " } } };
  assert.equal(resolveTemplate("{{results.audit.tables | join}}", lists), "ClinicalNote, Patient");
  assert.deepEqual(resolveTemplate("{{inputs.s.t | list}}", lists), ["A", "B", "C"]);
  assert.deepEqual(resolveTemplate("{{results.audit.tables | list}}", lists), ["ClinicalNote", "Patient"]);
  assert.deepEqual(resolveTemplate({ tables: "{{results.none | list}}" }, lists), {});
});

test("tableNames lists each table of a list of bursts once, in order", () => {
  const audit = { bursts: [{ table: "Patient" }, { table: "LabResult" }, { table: "Patient" }, { action: "UPDATE" }] };
  const c = { results: { audit } };
  assert.equal(resolveTemplate("{{results.audit.bursts | tableNames | join}}", c), "Patient, LabResult");
  assert.equal(resolveTemplate("{{results.audit.none | tableNames}}", c), undefined);
});

test("conditions and expectations", () => {
  assert.equal(holds({ path: "profile.name", equals: "prod" }, ctx), true);
  assert.equal(holds({ path: "profile.name", notEquals: "prod" }, ctx), false);
  assert.equal(holds({ path: "results.audit.none", truthy: true }, ctx), false);
  const failed = failedExpectations(
    [
      { path: "missing", op: "eq", value: 0, failure: "still missing" },
      { path: "rows", op: "gt", value: 0, failure: "none copied" },
    ],
    { missing: 2, rows: 5 },
  );
  assert.deepEqual(
    failed.map((f) => f.failure),
    ["still missing"],
  );
  assert.deepEqual(failedExpectations(undefined, {}), []);
});
