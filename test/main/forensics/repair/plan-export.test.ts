import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { exportPlan } from "../../../../src/main/forensics/repair/plan-export.ts";
import { PlanWriter, readPlanHeader } from "../../../../src/main/forensics/repair/plan-file.ts";
import { emptyCounts } from "../../../../src/main/forensics/repair/row-class.ts";
import type { PlanHeader } from "../../../../src/shared/repair-plan.ts";

test("a plan exports to CSV (one line per differing column) and JSON, both readable back", async () => {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-plan-export-"));
  try {
    const w = await PlanWriter.create(dir, "plan-20260117-143540-abcdef");
    await w.add({
      table: "public.Patient",
      key: ["7"],
      class: "conflict",
      columns: ["phone", "email"],
      before: { phone: "+1 555", email: 'a,"b"@x.org' },
      damaged: { phone: null, email: null },
      now: { phone: "+1 999", email: null },
      nowHash: "42",
      note: "changed by the incident and changed again since",
    });
    await w.add({
      table: "public.ClinicalNote",
      key: ["12"],
      class: "reinsert",
      columns: [],
      before: { id: "12", content: "line 1\nline 2" },
      damaged: null,
      now: null,
      nowHash: null,
    });
    const header: PlanHeader = {
      planId: "plan-20260117-143540-abcdef",
      createdAt: "2026-01-17T14:40:00.000Z",
      states: "three",
      production: "clinic@db",
      sources: { before: "b", damaged: "d" },
      tables: [],
      totals: { ...emptyCounts(), conflict: 1, reinsert: 1 },
      entries: 2,
      warnings: [],
    };
    const plan = await w.finish(header);
    assert.deepEqual((await readPlanHeader(plan.path)).totals, header.totals);

    const csv = await exportPlan(plan.path, "csv", join(dir, "out", "plan.csv"));
    const rows = parse(await readFile(csv.file, "utf8"), { columns: true }) as Record<string, string>[];
    assert.equal(csv.rows, 2);
    assert.deepEqual(
      rows.map((r) => [r.table, r.key, r.class, r.column, r.before, r.damaged, r.now]),
      [
        ["public.Patient", "7", "conflict", "phone", "+1 555", "(null)", "+1 999"],
        ["public.Patient", "7", "conflict", "email", 'a,"b"@x.org', "(null)", "(null)"],
        [
          "public.ClinicalNote",
          "12",
          "reinsert",
          "(row)",
          '{"id":"12","content":"line 1\\nline 2"}',
          "(absent)",
          "(absent)",
        ],
      ],
    );
    const json = await exportPlan(plan.path, "json", join(dir, "out", "plan.json"));
    const parsed = JSON.parse(await readFile(json.file, "utf8"));
    assert.equal(parsed.plan.planId, header.planId);
    assert.equal(parsed.rows.length, 2);
    assert.equal(parsed.rows[1].before.content, "line 1\nline 2");
    assert.match(json.digest, /^[0-9a-f]{64}$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
