import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { pgEnv } from "../../../src/main/postgres/conn-info.ts";
import { countRows, tableChecksums } from "../../../src/main/postgres/snapshot-counts.ts";
import {
  CLINICAL_TABLES,
  createClinicalSchema,
  generateClinicalData,
} from "../../../src/main/sample/clinical-sample.ts";
import { createDatabase, useCluster } from "../../harness/pg.ts";

const run = promisify(execFile);

describe("clinical sample data", () => {
  const cluster = useCluster();

  async function sampleDb(
    opts: Parameters<typeof generateClinicalData>[1],
  ): Promise<{ db: string; rows: Record<string, number> }> {
    const db = await createDatabase(cluster(), "clinic");
    await createClinicalSchema(cluster().conn(db));
    return { db, rows: await generateClinicalData(cluster().conn(db), opts) };
  }

  test("scale 1 is the seed's clinic: 150 patients and 423 notes, every key valid, every type present", async () => {
    const progress = new Map<string, number>();
    const { db, rows } = await sampleDb({ scale: 1, seed: 7, onProgress: (t, n) => progress.set(t, n) });
    const q = async (sql: string) => (await cluster().query(sql, [], db)).rows;

    assert.equal(rows.Patient, 150);
    assert.equal(rows.ClinicalNote, 423);
    const counted = Object.fromEntries((await countRows(cluster().conn(db))).map((t) => [t.table, t.rows]));
    assert.deepEqual(counted, rows);
    assert.deepEqual(Object.keys(counted).sort(), [...CLINICAL_TABLES].sort());
    assert.deepEqual(Object.fromEntries(progress), rows);

    // Every foreign key is back and was validated against all rows when it was re-added.
    const fks = await q(`SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1`);
    assert.equal(fks.length, 9);
    assert.ok(fks.every((f) => f.convalidated));
    const orphans = await q(`SELECT
      (SELECT count(*) FROM "ClinicalNote" n LEFT JOIN "Patient" p ON p.id = n."patientId" WHERE p.id IS NULL)
    + (SELECT count(*) FROM "ClinicalNote" n LEFT JOIN "User" u ON u.id = n."authorId" WHERE u.id IS NULL)
    + (SELECT count(*) FROM "Prescription" x LEFT JOIN "ClinicalNote" n ON n.id = x."noteId" WHERE x."noteId" IS NOT NULL AND n.id IS NULL)
    + (SELECT count(*) FROM "AuditLog" a LEFT JOIN "User" u ON u.id = a."userId" WHERE a."userId" IS NOT NULL AND u.id IS NULL) AS n`);
    assert.equal(Number(orphans[0]?.n), 0);
    const indexes = await q(`SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`);
    assert.equal(indexes[0]?.n, 16);

    const types = await q(
      `SELECT DISTINCT t.typtype, t.typname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_type t ON t.oid = a.atttypid WHERE c.relname = ANY($1::text[]) AND a.attnum > 0`.replace(
        "$1::text[]",
        `ARRAY['${CLINICAL_TABLES.join("','")}']`,
      ),
    );
    const names = new Set(types.map((t) => t.typname));
    for (const t of [
      "Role",
      "NoteStatus",
      "AuditAction",
      "PrescriptionStatus",
      "jsonb",
      "bytea",
      "_text",
      "uuid",
      "inet",
      "numeric",
      "date",
      "timestamp",
    ])
      assert.ok(names.has(t), `has a ${t} column`);
    const filled = await q(`SELECT
      (SELECT count(*) FROM "ClinicalNote" WHERE octet_length(signature) = 64) AS signatures,
      (SELECT count(*) FROM "ClinicalNote" WHERE cardinality("icd10Codes") > 0) AS codes,
      (SELECT count(*) FROM "ClinicalNote" WHERE vitals ? 'bp') AS vitals,
      (SELECT count(*) FROM "LabResult" WHERE attachment IS NOT NULL) AS attachments,
      (SELECT min(length(content)) FROM "ClinicalNote") AS shortest`);
    assert.ok(
      Number(filled[0]?.signatures) > 300 && Number(filled[0]?.codes) === 423 && Number(filled[0]?.vitals) === 423,
    );
    assert.ok(Number(filled[0]?.attachments) > 5);
    assert.ok(Number(filled[0]?.shortest) > 500);

    // The seed's forensics query works, and every action is represented.
    const audit = await q(
      `SELECT action, "tableName", "recordId", "timestamp" FROM "AuditLog" WHERE action = 'DELETE' ORDER BY "timestamp" DESC LIMIT 100`,
    );
    assert.ok(audit.length > 10);
    assert.ok(audit[0]?.timestamp instanceof Date);
    const actions = Object.fromEntries(
      (await q(`SELECT action, count(*)::int AS n FROM "AuditLog" GROUP BY 1`)).map((r) => [r.action, r.n]),
    );
    assert.deepEqual(Object.keys(actions).sort(), ["CREATE", "DELETE", "UPDATE"]);
    assert.ok(actions.DELETE > 30 && actions.DELETE < 130 && actions.CREATE > actions.UPDATE, JSON.stringify(actions));

    // Sequences continue after the generated ids, so the app can insert as usual.
    const p = await q(
      `INSERT INTO "Patient" ("mrn", "firstName", "lastName", "dateOfBirth", "sex", "updatedAt") VALUES ('NEW-1', 'A', 'B', '1990-01-01', 'F', now()) RETURNING id`,
    );
    assert.equal(p[0]?.id, 151);
    const a = await q(
      `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', 'Patient', '151') RETURNING id`,
    );
    assert.equal(a[0]?.id, "1501");

    await assert.rejects(
      generateClinicalData(cluster().conn(db), { scale: 1 }),
      (e: unknown) => e instanceof LifeboatError && e.code === "TARGET_NOT_EMPTY",
    );
  });

  test("the same seed gives the same data; another seed does not", async () => {
    const one = await sampleDb({ patients: 30, seed: 42 });
    const two = await sampleDb({ patients: 30, seed: 42, parallel: 1 });
    const other = await sampleDb({ patients: 30, seed: 43 });
    assert.equal(one.rows.Patient, 30);
    const sums = await tableChecksums(cluster().conn(one.db));
    assert.deepEqual(await tableChecksums(cluster().conn(two.db)), sums);
    const otherSums = await tableChecksums(cluster().conn(other.db));
    for (const t of CLINICAL_TABLES) assert.notEqual(otherSums[`public.${t}`], sums[`public.${t}`], t);
  });

  test("a scale-20 dump compresses like real text with zstd -1 (between 2x and 6x)", async () => {
    const { db, rows } = await sampleDb({ scale: 20, seed: 1 });
    assert.equal(rows.ClinicalNote, 8460);
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-ratio-"));
    try {
      const dump = join(dir, "clinic.pgdump");
      await run("/usr/lib/postgresql/15/bin/pg_dump", ["-Fc", "-Z0", "-f", dump], { env: pgEnv(cluster().conn(db)) });
      await run("zstd", ["-1", "-q", "-o", `${dump}.zst`, dump]);
      const raw = (await stat(dump)).size;
      const ratio = raw / (await stat(`${dump}.zst`)).size;
      console.log(`# scale-20 dump: ${(raw / 1e6).toFixed(1)} MB, zstd -1 ratio ${ratio.toFixed(2)}`);
      assert.ok(raw > 20e6, `dump is ${raw} bytes`);
      assert.ok(ratio > 2 && ratio < 6, `zstd -1 ratio ${ratio}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
