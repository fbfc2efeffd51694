// Every runbook is walked to the end against the contract's schemas: a definition that names an unknown channel, builds
// a payload the engine would refuse, or reads a value no earlier step produces fails here, not at 3 a.m.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { RUNBOOKS } from "../../../src/shared/runbooks/all-runbooks.ts";
import { RunbookExecutor } from "../../../src/shared/runbooks/runbook-executor.ts";
import type { RecordField, RunbookDefinition } from "../../../src/shared/runbooks/runbook-types.ts";
import { resolveTemplate, templatePaths } from "../../../src/shared/runbooks/template.ts";
import { fakeApi } from "./fake-api.ts";

const profile = {
  name: "sandbox",
  database: { host: "127.0.0.1", port: 5432, database: "neondb", user: "neondb_owner" },
};
const STEP_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

function sample(f: RecordField): unknown {
  if (f.type === "checkbox") return true;
  if (f.type === "timestamp") return "2026-01-17T14:29:59Z";
  if (f.type === "choice") return f.options[0]!.value;
  // A literal default is what the operator is offered (e.g. a profile name): it must pass the channel's schema.
  if (typeof f.default === "string" && !f.default.includes("{{")) return f.default;
  return "ClinicalNote";
}

function checkPaths(def: RunbookDefinition): void {
  const seenInputs = new Set<string>();
  const seenResults = new Set<string>();
  const check = (where: string, templates: unknown[]) => {
    for (const p of templates.flatMap((t) => templatePaths(t as never))) {
      const [root, name] = p.split(".");
      if (root === "inputs") assert.ok(seenInputs.has(name!), `${where} reads ${p} before any step records it`);
      else if (root === "results") assert.ok(seenResults.has(name!), `${where} reads ${p} before any step produces it`);
      else assert.ok(["profile", "incident", "now"].includes(root!), `${where} reads unknown ${p}`);
    }
  };
  for (const step of def.steps) {
    const where = `${def.id}/${step.id}`;
    if (step.when) check(where, [`{{${step.when.path}}}`]);
    if (step.kind === "action") {
      check(where, [step.payload, step.destructive?.confirmText ?? ""]);
      seenResults.add(step.saveAs ?? step.id);
    }
    if (step.kind === "record") {
      check(
        where,
        step.fields.map((f) => ("default" in f ? (f.default ?? "") : "")),
      );
      seenInputs.add(step.id);
      // What a record step journals may read what it just recorded.
      check(where, [step.journal?.payload ?? ""]);
    }
  }
}

describe("runbook definitions", () => {
  test("the seed's and the audit's runbooks are there, with unique ids and journal-safe step ids", () => {
    assert.deepEqual(
      RUNBOOKS.map((r) => r.id),
      [
        "scenario-1-data-corruption",
        "scenario-2-database-loss",
        "scenario-3-bad-migration",
        "scenario-4-server-failure",
        "scenario-5-region-outage",
        "scenario-6-ransomware",
        "scenario-7-application-error",
        "weekly-backup-test",
        "post-recovery-checklist",
      ],
    );
    for (const r of RUNBOOKS) {
      const ids = r.steps.map((s) => s.id);
      assert.equal(new Set(ids).size, ids.length, `${r.id} has duplicate step ids`);
      for (const id of ids) assert.match(id, STEP_ID);
      assert.match(r.id, STEP_ID);
      for (const [i, s] of r.steps.entries()) {
        if (s.kind !== "action" || !s.redo) continue;
        const target = r.steps.findIndex((x) => x.id === s.redo!.step);
        assert.ok(
          target >= 0 && target < i && r.steps[target]!.kind === "action",
          `${r.id}/${s.id} redoes an earlier action`,
        );
      }
    }
  });

  test("templates only read values that earlier steps produce", () => {
    for (const r of RUNBOOKS) checkPaths(r);
  });

  for (const def of RUNBOOKS) {
    test(`${def.id} walks to the end against the contract`, async () => {
      const api = fakeApi();
      const ex = new RunbookExecutor(def, { invoke: api.invoke, profile, now: () => new Date("2026-01-17T14:40:00Z") });
      assert.equal(await ex.start({ title: def.title, severity: def.defaultSeverity }), true);
      let guard = 0;
      for (let step = ex.current(); step; step = ex.current()) {
        assert.ok(guard++ < 50, "the run does not advance");
        if (step.kind === "action") {
          // What the operator types: the name the step asks for (production's database, or branch).
          const typed = step.destructive
            ? String(resolveTemplate(step.destructive.confirmText, ex.context()))
            : undefined;
          const s = await ex.runAction(step.id, typed);
          assert.equal(s.status, "done", `${step.id}: ${s.error?.message ?? s.failures?.join(" ")}`);
        } else if (step.kind === "record") {
          const s = await ex.submit(step.id, Object.fromEntries(step.fields.map((f) => [f.name, sample(f)])));
          assert.equal(s.status, "done", `${step.id}: ${s.error?.message}`);
        } else {
          for (const item of step.items) await ex.tick(step.id, item.id);
        }
      }
      assert.equal(await ex.close("done"), true);
      const journaled = api.calls.filter((c) =>
        ["runbooks.record", "incidents.note", "incidents.checklist"].includes(c.channel),
      ).length;
      assert.ok(
        journaled >= def.steps.filter((s) => ex.applies(s)).length,
        "every applicable step left a journal record",
      );
    });
  }
});
