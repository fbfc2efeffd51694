// The repair channels' paging through the router: a verify's drill-down pages through more than a thousand damaged
// rows, and every page carries the decisions recorded on the repaired plan for exactly its own rows.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createApiRouter, type ApiRouter } from "../../../../src/main/api/router.ts";
import { recordDecisions } from "../../../../src/main/forensics/repair/decisions.ts";
import { PlanWriter } from "../../../../src/main/forensics/repair/plan-file.ts";
import { openJournal, type OpenJournal } from "../../../../src/main/journal/journal.ts";
import type { PlanHeader } from "../../../../src/shared/repair-plan.ts";

const TABLE = "public.notes";
const ROWS = 1500;

async function writePlan(plans: string, planId: string): Promise<void> {
  const w = await PlanWriter.create(plans, planId);
  for (let i = 1; i <= ROWS; i++)
    await w.add({
      table: TABLE,
      key: [String(i)],
      class: "conflict",
      columns: ["body"],
      before: { id: String(i), body: "before" },
      damaged: { id: String(i), body: "damaged" },
      now: { id: String(i), body: `now ${i}` },
      nowHash: String(i),
    });
  const counts = { reinsert: 0, restore: 0, conflict: ROWS, inserted: 0, later: 0, repaired: 0, unchanged: 0 };
  const header: PlanHeader = {
    planId,
    createdAt: "2026-01-17T15:00:00Z",
    states: "three",
    production: "app@127.0.0.1:5432/clinic",
    sources: { before: "before db", damaged: "damaged db" },
    tables: [
      {
        table: TABLE,
        mode: "primary-key",
        primaryKey: ["id"],
        reason: "named",
        order: 1,
        counts,
        rows: { before: ROWS, damaged: ROWS, now: ROWS },
        comparedColumns: ["id", "body"],
        drift: { droppedSinceBefore: [], addedSinceBefore: [], typeChanged: [], generated: [] },
        triggers: [],
        warnings: [],
      },
    ],
    totals: counts,
    entries: ROWS,
    warnings: [],
  };
  await w.finish(header);
}

describe("forensics.planRows", () => {
  let dir: string;
  let journal: OpenJournal;
  let router: ApiRouter;
  const repaired = "plan-20260117-143800-aaaaaa";
  const verified = "plan-20260117-150000-bbbbbb";
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "lifeboat-plan-rows-"));
    journal = await openJournal({ dir: join(dir, "journal") });
    router = createApiRouter({
      configPath: join(dir, "config.json"),
      journal,
      env: {},
      shell: "browser",
      exportsDir: join(dir, "exports"),
    });
    // Plans live beside the journal; the verify plan finds the same rows still damaged.
    await writePlan(join(dir, "plans"), repaired);
    await writePlan(join(dir, "plans"), verified);
    await recordDecisions(
      join(dir, "plans"),
      repaired,
      [
        { table: TABLE, key: ["1234"], choice: "keep-now" },
        { table: TABLE, key: ["1490"], choice: "per-column", takeBefore: ["body"] },
        { table: TABLE, key: ["3"], choice: "take-before" },
      ],
      { journal },
    );
  });
  after(async () => {
    await journal?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("a page past the first thousand rows carries the repaired plan's decisions on its own rows", async () => {
    const decisionsOn = async (offset: number) => {
      const r = await router.invoke("forensics.planRows", {
        planId: verified,
        decisionsOf: repaired,
        table: TABLE,
        offset,
        limit: 25,
      });
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.value.total, ROWS);
      assert.equal(r.value.rows[0]!.entry.key[0], String(offset + 1));
      return Object.fromEntries(
        r.value.rows.filter((x) => x.decision).map((x) => [x.entry.key[0], x.decision!.choice]),
      );
    };
    assert.deepEqual(await decisionsOn(0), { "3": "take-before" });
    assert.deepEqual(await decisionsOn(1225), { "1234": "keep-now" });
    assert.deepEqual(await decisionsOn(1475), { "1490": "per-column" });
    // Without decisionsOf, the verify plan's own decisions (none).
    const own = await router.invoke("forensics.planRows", { planId: verified, table: TABLE, offset: 1225, limit: 25 });
    assert.ok(own.ok && own.value.rows.every((x) => !x.decision));
  });
});
