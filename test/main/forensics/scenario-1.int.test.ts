// Seed scenario 1 between two real databases: a bulk delete in production, found in the audit log, compared with
// a branch from before it, and copied back until production holds what it held before the incident.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyMissingRows } from "../../../src/main/forensics/copy-missing-rows.ts";
import { findCorruptionTime } from "../../../src/main/forensics/corruption-time.ts";
import { diffTable } from "../../../src/main/forensics/diff-table.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import type { OpenJournal } from "../../../src/main/journal/journal.ts";
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

const INCIDENT = "2026-01-17T14:35:40.250Z";

/** Routine audit traffic for the hour before the incident: two events a minute, spread over the tables. */
async function routineActivity(prod: Pair["production"]): Promise<void> {
  await sql(
    prod,
    `INSERT INTO "AuditLog" ("action", "tableName", "recordId", "timestamp")
     SELECT (CASE WHEN g % 5 = 0 THEN 'DELETE' ELSE 'UPDATE' END)::"AuditAction", (ARRAY['Patient','ClinicalNote','LabResult','Prescription'])[1 + g % 4], g::text,
            timestamp '2026-01-17 13:35:00' + g * interval '30 seconds'
     FROM generate_series(0, 119) g`,
  );
  // A routine edit in the same minute as the incident, 35 s before it: the bucket starts with it, the burst does not.
  await sql(
    prod,
    `INSERT INTO "AuditLog" ("action", "tableName", "recordId", "timestamp") VALUES ('UPDATE', 'ClinicalNote', '7', timestamp '2026-01-17 14:35:05')`,
  );
}

describe("seed scenario 1: bulk delete, found, compared, copied back", () => {
  const cluster = useCluster();
  let pair: Pair;
  let journal: OpenJournal;
  let cleanupJournal: () => Promise<void>;
  let deleted: number[];
  let preIncident: Record<string, number>;
  let ctx: { journal: OpenJournal; profile: string };

  before(async () => {
    const template = await makeSampleTemplate(cluster());
    pair = await makePair(cluster(), template, routineActivity);
    preIncident = await allCounts(pair.production);
    ({ journal, cleanup: cleanupJournal } = await tempJournal());
    ctx = { journal, profile: "clinic" };
    // The incident: 60 notes deleted in one go (ones no prescription points at), each with its audit row.
    const rows = await sql(
      pair.production,
      `SELECT id FROM "ClinicalNote" WHERE id NOT IN (SELECT "noteId" FROM "Prescription" WHERE "noteId" IS NOT NULL) ORDER BY "createdAt" DESC LIMIT 60`,
    );
    deleted = rows.map((r) => r.id as number).sort((a, b) => a - b);
    await sql(
      pair.production,
      `WITH gone AS (DELETE FROM "ClinicalNote" WHERE id = ANY($1::int[]) RETURNING id)
       INSERT INTO "AuditLog" ("action", "tableName", "recordId", "timestamp")
       SELECT 'DELETE', 'ClinicalNote', id::text, ($2::timestamptz AT TIME ZONE 'UTC') + (row_number() OVER (ORDER BY id)) * interval '5 milliseconds' - interval '5 milliseconds' FROM gone`,
      [deleted, INCIDENT],
    );
  });

  after(async () => {
    await cleanupJournal?.();
  });

  test("the audit log dates the corruption and suggests the last good second", async () => {
    const r = await findCorruptionTime(pair.production, {}, ctx);
    assert.equal(r.bursts[0]?.table, "ClinicalNote");
    assert.equal(r.bursts[0]?.action, "DELETE");
    assert.ok(r.bursts[0]!.count >= 60, `burst of ${r.bursts[0]?.count}`);
    assert.equal(r.firstBadAt, INCIDENT, r.reasoning.join("\n"));
    assert.equal(r.suggestedRecoveryPoint, "2026-01-17T14:35:39.000Z");
    assert.deepEqual(r.incidentTables, ["ClinicalNote"]);
    assert.equal(r.bursts.filter((b) => b.anomalous).length, 1, "routine traffic is not a burst");
    // A narrower window and other bucket sizes agree.
    const narrow = await findCorruptionTime(
      pair.production,
      { since: new Date("2026-01-17T14:00:00Z"), bucketSeconds: 300 },
      ctx,
    );
    assert.equal(narrow.suggestedRecoveryPoint, "2026-01-17T14:35:39.000Z");
  });

  test("the diff finds exactly the deleted keys, nothing changed, nothing extra", async () => {
    const missing: number[] = [];
    const r = await diffTable(
      pair.branch,
      pair.production,
      "ClinicalNote",
      { onDifference: (v, key) => void (v === "missing" && missing.push(Number(key[0]))) },
      ctx,
    );
    assert.deepEqual(missing, deleted);
    assert.equal(r.missingInProduction, 60);
    assert.equal(r.changed, 0);
    assert.equal(r.extraInProduction, 0);
    assert.deepEqual(r.counts, {
      branch: preIncident["public.ClinicalNote"],
      production: preIncident["public.ClinicalNote"]! - 60,
    });
    assert.deepEqual(r.sampleMissing[0], { id: String(deleted[0]) });
  });

  test("the dry run counts and writes nothing", async () => {
    const r = await copyMissingRows(pair.branch, pair.production, "ClinicalNote", { dryRun: true }, ctx);
    assert.equal(r.rows, 60);
    assert.equal(r.before, preIncident["public.ClinicalNote"]! - 60);
    assert.equal(r.after, preIncident["public.ClinicalNote"]);
    assert.equal((await allCounts(pair.production))["public.ClinicalNote"], preIncident["public.ClinicalNote"]! - 60);
  });

  test("a copy without the typed production name is refused, journaled, and writes nothing", async () => {
    for (const confirm of [undefined, "", "clinic", pair.branchDb]) {
      await assert.rejects(
        copyMissingRows(
          pair.branch,
          pair.production,
          "ClinicalNote",
          { dryRun: false, ...(confirm !== undefined ? { confirm } : {}) },
          ctx,
        ),
        (e: unknown) =>
          isLifeboatError(e) &&
          e.code === "CONFIRMATION_REQUIRED" &&
          e.message.includes(pair.prodDb) &&
          !!e.hint?.includes(`--confirm ${pair.prodDb}`),
      );
    }
    assert.equal((await allCounts(pair.production))["public.ClinicalNote"], preIncident["public.ClinicalNote"]! - 60);
    const refused = await journal.query({ kind: "forensics.copy", outcome: "refused" });
    assert.equal(refused.records.length, 4);
    assert.equal(refused.records[0]!.profile, "clinic");
  });

  test("copying a createdAt range, then the rest, brings production back to its pre-incident state", async () => {
    const range = await sql(
      pair.branch,
      `SELECT to_char(min("createdAt"), 'YYYY-MM-DD HH24:MI:SS.MS') AS lo, to_char(percentile_disc(0.5) WITHIN GROUP (ORDER BY "createdAt"), 'YYYY-MM-DD HH24:MI:SS.MS') AS mid FROM "ClinicalNote" WHERE id = ANY($1::int[])`,
      [deleted],
    );
    const where = `"createdAt" >= '${range[0].lo}' AND "createdAt" < '${range[0].mid}'`;
    const inRange = Number(
      (
        await sql(pair.branch, `SELECT count(*) AS n FROM "ClinicalNote" WHERE id = ANY($1::int[]) AND ${where}`, [
          deleted,
        ])
      )[0].n,
    );
    assert.ok(inRange > 0 && inRange < 60);

    const dry = await copyMissingRows(pair.branch, pair.production, "ClinicalNote", { dryRun: true, where }, ctx);
    assert.equal(dry.rows, inRange);
    const first = await copyMissingRows(
      pair.branch,
      pair.production,
      "ClinicalNote",
      { dryRun: false, confirm: pair.prodDb, where, batchRows: 7 },
      ctx,
    );
    assert.equal(first.rows, inRange);
    assert.equal(first.after - first.before, inRange);

    const rest = await copyMissingRows(
      pair.branch,
      pair.production,
      "ClinicalNote",
      { dryRun: false, confirm: pair.prodDb },
      ctx,
    );
    assert.equal(rest.rows, 60 - inRange);
    assert.equal(rest.after, preIncident["public.ClinicalNote"]);

    const now = await allCounts(pair.production);
    for (const [t, n] of Object.entries(preIncident)) {
      // The audit log keeps the incident's own 60 DELETE rows: they are history, not damage.
      assert.equal(now[t], t === "public.AuditLog" ? n + 60 : n, t);
    }
    assert.equal(
      await tableDigest(pair.production, `"ClinicalNote"`),
      await tableDigest(pair.branch, `"ClinicalNote"`),
    );
    const again = await diffTable(pair.branch, pair.production, "ClinicalNote", {}, ctx);
    assert.deepEqual([again.missingInProduction, again.changed, again.extraInProduction], [0, 0, 0]);
    const ok = await journal.query({ kind: "forensics.copy", outcome: "ok" });
    assert.ok(ok.records.some((r) => r.details.rows === 60 - inRange && r.details.dryRun === false));
  });

  test("a second copy finds nothing left to copy", async () => {
    const r = await copyMissingRows(
      pair.branch,
      pair.production,
      "ClinicalNote",
      { dryRun: false, confirm: pair.prodDb },
      ctx,
    );
    assert.equal(r.rows, 0);
    assert.equal(r.before, r.after);
  });
});
