// Seed scenario 3 between two real databases: a migration drops a column (with data) and a table; the schema diff
// names them, and they come back from the branch with their values.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { diffTable } from "../../../src/main/forensics/diff-table.ts";
import { restoreDroppedColumn } from "../../../src/main/forensics/restore-dropped-column.ts";
import { restoreDroppedTable } from "../../../src/main/forensics/restore-dropped-table.ts";
import { schemaDiff } from "../../../src/main/forensics/schema-diff.ts";
import type { OpenJournal } from "../../../src/main/journal/journal.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import { useCluster } from "../../harness/pg.ts";
import {
  allCounts,
  makePair,
  makeSampleTemplate,
  sql,
  tableDigest,
  tempJournal,
  type Pair,
} from "./forensics-fixture.ts";

describe("seed scenario 3: a destructive migration, undone from the branch", () => {
  const cluster = useCluster();
  let pair: Pair;
  let journal: OpenJournal;
  let cleanupJournal: () => Promise<void>;
  let ctx: { journal: OpenJournal };

  before(async () => {
    const template = await makeSampleTemplate(cluster());
    pair = await makePair(cluster(), template);
    ({ journal, cleanup: cleanupJournal } = await tempJournal());
    ctx = { journal };
    // The bad migration, and life going on afterwards: two new notes written without the dropped column.
    await sql(
      pair.production,
      `ALTER TABLE "ClinicalNote" DROP COLUMN "vitals";
       ALTER TABLE "Patient" DROP COLUMN "allergies";
       DROP TABLE "LabResult";
       INSERT INTO "ClinicalNote" ("patientId", "authorId", "title", "content", "updatedAt")
       SELECT "patientId", "authorId", 'written after the migration', 'x', now() FROM "ClinicalNote" ORDER BY id LIMIT 2;`,
    );
  });

  after(async () => {
    await cleanupJournal?.();
  });

  test("the schema diff names the dropped table and columns with their types", async () => {
    const r = await schemaDiff(pair.branch, pair.production, ctx);
    assert.deepEqual(r.droppedTables, ["public.LabResult"]);
    assert.deepEqual(
      r.droppedColumns.map((c) => [c.table, c.column, c.type, c.notNull]),
      [
        ["public.ClinicalNote", "vitals", "jsonb", false],
        ["public.Patient", "allergies", "text[]", true],
      ],
    );
    assert.deepEqual([r.typeChanges, r.newTables, r.newColumns], [[], [], []]);
  });

  test("restoring a column needs the typed name and changes nothing without it", async () => {
    await assert.rejects(
      restoreDroppedColumn(pair.branch, pair.production, "ClinicalNote", "vitals", {}, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "CONFIRMATION_REQUIRED",
    );
    const dry = await restoreDroppedColumn(
      pair.branch,
      pair.production,
      "ClinicalNote",
      "vitals",
      { dryRun: true },
      ctx,
    );
    assert.equal(dry.rows, 423);
    assert.equal(dry.productionRowsNotOnBranch, 2);
    assert.match(dry.definition, /ADD COLUMN "vitals" jsonb$/);
    const cols = await sql(
      pair.production,
      `SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'ClinicalNote' AND column_name = 'vitals'`,
    );
    assert.equal(Number(cols[0].n), 0);
  });

  test("the dropped column comes back with every value it had", async () => {
    const r = await restoreDroppedColumn(
      pair.branch,
      pair.production,
      "ClinicalNote",
      "vitals",
      { confirm: pair.prodDb, batchRows: 50 },
      ctx,
    );
    assert.equal(r.rows, 423);
    const where = `id <= 423`;
    assert.equal(
      await tableDigest(pair.production, `"ClinicalNote"`, `t.id, t."vitals"`, "id", where),
      await tableDigest(pair.branch, `"ClinicalNote"`, `t.id, t."vitals"`, "id"),
    );
    assert.ok(
      Number((await sql(pair.branch, `SELECT count(*) AS n FROM "ClinicalNote" WHERE "vitals" IS NOT NULL`))[0].n) >
        100,
      "the column held data",
    );
    const rows = await sql(
      pair.production,
      `SELECT count(*) AS n FROM "ClinicalNote" WHERE id > 423 AND "vitals" IS NULL`,
    );
    assert.equal(Number(rows[0].n), 2, "rows newer than the branch keep NULL");
    await assert.rejects(
      restoreDroppedColumn(pair.branch, pair.production, "ClinicalNote", "vitals", { confirm: pair.prodDb }, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "SCHEMA_MISMATCH",
    );
  });

  test("a NOT NULL column with a default comes back NOT NULL, with its default", async () => {
    const r = await restoreDroppedColumn(
      pair.branch,
      pair.production,
      "Patient",
      "allergies",
      { confirm: pair.prodDb },
      ctx,
    );
    assert.deepEqual(r.notNull, { onBranch: true, applied: true, nullsRemaining: 0 });
    assert.equal(
      await tableDigest(pair.production, `"Patient"`, `t.id, t."allergies"`),
      await tableDigest(pair.branch, `"Patient"`, `t.id, t."allergies"`),
    );
    const def = await sql(
      pair.production,
      `SELECT is_nullable, column_default FROM information_schema.columns WHERE table_name = 'Patient' AND column_name = 'allergies'`,
    );
    assert.deepEqual(def[0], { is_nullable: "NO", column_default: "ARRAY[]::text[]" });
  });

  test("the dropped table comes back: rows, key, indexes, foreign keys, and a sequence the app can insert with", async () => {
    const dry = await restoreDroppedTable(pair.branch, pair.production, "LabResult", { dryRun: true }, ctx);
    assert.equal(dry.rows, 900);
    assert.ok(dry.statements.some((s) => s.startsWith(`CREATE TABLE public."LabResult"`)));
    assert.equal((await allCounts(pair.production))["public.LabResult"], undefined, "a dry run creates nothing");
    await assert.rejects(
      restoreDroppedTable(pair.branch, pair.production, "LabResult", { confirm: "nope" }, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "CONFIRMATION_REQUIRED",
    );

    const r = await restoreDroppedTable(
      pair.branch,
      pair.production,
      "LabResult",
      { confirm: pair.prodDb, batchRows: 128 },
      ctx,
    );
    assert.equal(r.rows, 900);
    assert.deepEqual(r.skipped, []);
    assert.deepEqual(
      r.sequences.map((s) => s.setTo),
      ["900"],
    );
    assert.equal(await tableDigest(pair.production, `"LabResult"`), await tableDigest(pair.branch, `"LabResult"`));
    const cons = await sql(
      pair.production,
      `SELECT conname FROM pg_constraint WHERE conrelid = '"LabResult"'::regclass ORDER BY 1`,
    );
    assert.deepEqual(
      cons.map((c) => c.conname),
      ["LabResult_orderedById_fkey", "LabResult_patientId_fkey", "LabResult_pkey"],
    );
    const idx = await sql(pair.production, `SELECT indexname FROM pg_indexes WHERE tablename = 'LabResult' ORDER BY 1`);
    assert.deepEqual(
      idx.map((i) => i.indexname),
      ["LabResult_patientId_collectedAt_idx", "LabResult_pkey"],
    );
    const next = await sql(
      pair.production,
      `INSERT INTO "LabResult" ("patientId", "orderedById", "testName", "loincCode", "value", "unit", "referenceRange", "collectedAt")
      SELECT "patientId", "orderedById", 'Hb', '718-7', 13.5, 'g/dL', '12-16', now() FROM "LabResult" LIMIT 1 RETURNING id`,
    );
    assert.equal(next[0].id, 901);
    const d = await diffTable(pair.branch, pair.production, "LabResult", {}, ctx);
    assert.deepEqual([d.missingInProduction, d.changed, d.extraInProduction], [0, 0, 1]);
    const recorded = await journal.query({ kind: "forensics.restore-table", outcome: "ok" });
    assert.equal(recorded.records.length, 2, "the dry run and the real run");
  });

  test("a table that still exists is not re-created", async () => {
    await assert.rejects(
      restoreDroppedTable(pair.branch, pair.production, "Patient", { confirm: pair.prodDb }, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "SCHEMA_MISMATCH" && /still exists/.test(e.message),
    );
  });
});
