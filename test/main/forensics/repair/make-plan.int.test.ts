// Repair plans between real databases: every row class, the foreign-key cascade, conflicts, schema drift, a table
// without a key, a key that changed type, points in the wrong order, and the plan file with its journaled digest.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { journaledPlanDigest } from "../../../../src/main/forensics/repair/plan-digest.ts";
import { verifyRepair } from "../../../../src/main/forensics/repair/verify-repair.ts";
import { makeRepairPlan } from "../../../../src/main/forensics/repair/make-plan.ts";
import { planEntries } from "../../../../src/main/forensics/repair/plan-file.ts";
import type { PlanEntry } from "../../../../src/shared/repair-plan.ts";
import { isLifeboatError } from "../../../../src/shared/errors.ts";
import type { OpenJournal } from "../../../../src/main/journal/journal.ts";
import { sql } from "../forensics-fixture.ts";
import { makeStates, mixedIncident, statesOf, touchTrigger, useRepairWorld, type States } from "./repair-fixture.ts";

async function entries(path: string): Promise<PlanEntry[]> {
  const out: PlanEntry[] = [];
  for await (const e of planEntries(path)) out.push(e);
  return out;
}

describe("repair plan from three states", () => {
  const world = useRepairWorld(async (t) => {
    // A table without a primary key, as legacy schemas have.
    await sql(
      t,
      `CREATE TABLE "Visit" (n int, what text); INSERT INTO "Visit" SELECT g, chr(96 + g) FROM generate_series(1, 5) g`,
    );
  });
  const cluster = world.cluster;
  let template: string;
  let journal: OpenJournal;
  let plansDir: string;
  let ctx: { journal: OpenJournal; profile: string };
  before(() => {
    template = world.template();
    plansDir = world.plansDir();
    ctx = world.ctx();
    journal = ctx.journal;
  });

  test("points in the wrong order are refused before anything is read", async () => {
    await assert.rejects(
      makeRepairPlan(
        { ...statesOf({} as States), points: { before: "2026-01-17T14:36:00Z", damaged: "2026-01-17T14:35:00Z" } },
        { tables: ["Patient"], plansDir },
        ctx,
      ),
      (e) => isLifeboatError(e) && e.code === "USAGE" && /not after the before state/.test(e.message),
    );
  });

  test("a mixed incident: every class, the SET NULL cascade found by following the foreign key, later writes kept", async () => {
    let incident!: Awaited<ReturnType<typeof mixedIncident>>;
    const s = await makeStates(
      cluster(),
      template,
      async (p) => void (incident = await mixedIncident(p)),
      async (p) => {
        // Legitimate writes after the incident, some on the same rows.
        await sql(p, `UPDATE "Patient" SET phone = '+1 555 0100' WHERE id = $1`, [incident.patients[0]]);
        await sql(p, `UPDATE "Patient" SET email = 'new@example.org' WHERE id = (SELECT max(id) FROM "Patient")`);
        await sql(p, `UPDATE "Prescription" SET refills = refills + 1 WHERE id = $1`, [incident.unlinked[0]]);
        await sql(
          p,
          `INSERT INTO "ClinicalNote" ("patientId", "authorId", title, content, "updatedAt") SELECT 1, id, 'after', 'legit', now() FROM "User" ORDER BY id LIMIT 1`,
        );
      },
    );
    const r = await makeRepairPlan(statesOf(s), { tables: ["ClinicalNote", "Patient"], plansDir }, ctx);
    const byTable = Object.fromEntries(r.header.tables.map((t) => [t.table, t]));
    // Named tables plus their foreign-key neighbours, parents first.
    assert.deepEqual(
      r.header.tables.map((t) => t.table).sort(),
      ["public.ClinicalNote", "public.LabResult", "public.Patient", "public.Prescription", "public.User"].sort(),
    );
    const order = r.header.tables.sort((a, b) => a.order - b.order).map((t) => t.table);
    assert.ok(order.indexOf("public.Patient") < order.indexOf("public.ClinicalNote"));
    assert.ok(order.indexOf("public.ClinicalNote") < order.indexOf("public.Prescription"));
    assert.match(byTable["public.Prescription"]!.reason, /SET NULL/);

    const notes = byTable["public.ClinicalNote"]!.counts;
    assert.equal(notes.reinsert, incident.notes.length);
    assert.equal(notes.inserted, 2);
    assert.equal(notes.later, 1, "the note written after the incident is kept and counted");
    const patients = byTable["public.Patient"]!.counts;
    assert.equal(patients.restore, incident.patients.length - 1);
    assert.equal(patients.conflict, 1);
    assert.equal(patients.later, 1);
    const rx = byTable["public.Prescription"]!.counts;
    // The cascade's damage: every unlinked prescription; the one edited since (refills) still only lost its noteId
    // to the incident, so it is a conflict (changed again since), never overwritten silently.
    assert.equal(rx.restore + rx.conflict, incident.unlinked.length);
    assert.equal(rx.conflict, 1);
    assert.equal(byTable["public.LabResult"]!.counts.reinsert + byTable["public.LabResult"]!.counts.restore, 0);

    const all = await entries(r.path);
    assert.equal(all.length, r.header.entries);
    const conflict = all.find((e) => e.table === "public.Patient" && e.class === "conflict")!;
    assert.equal(conflict.key[0], String(incident.patients[0]));
    assert.deepEqual(conflict.columns, ["phone", "email"]);
    assert.equal(conflict.damaged!.phone, null);
    assert.equal(conflict.now!.phone, "+1 555 0100");
    assert.notEqual(conflict.before!.phone, null);
    const unlinked = all.find((e) => e.table === "public.Prescription" && e.class === "restore")!;
    assert.deepEqual(unlinked.columns, ["noteId"]);
    assert.ok(incident.notes.map(String).includes(unlinked.before!.noteId as string));
    const reinsert = all.find((e) => e.table === "public.ClinicalNote" && e.class === "reinsert")!;
    assert.equal(reinsert.now, null);
    assert.ok(reinsert.before!.content, "a re-insert carries the whole before row");

    // The file's digest is what the journal recorded.
    const digest = createHash("sha256")
      .update(await readFile(r.path))
      .digest("hex");
    assert.equal(digest, r.digest);
    const rec = (await journal.query({ kind: "forensics.plan" })).records.filter((x) => x.outcome === "ok").at(-1)!;
    assert.equal(rec.details?.digest, digest);
  });

  test("two states only: changes are conflicts unless the audit window attributes them, and the plan says so", async () => {
    let incident!: Awaited<ReturnType<typeof mixedIncident>>;
    const s = await makeStates(cluster(), template, async (p) => {
      incident = await mixedIncident(p);
      await sql(
        p,
        `INSERT INTO "AuditLog" (action, "tableName", "recordId", timestamp) SELECT 'UPDATE', 'Patient', id::text, timestamp '2026-01-17 14:35:41' FROM unnest($1::int[]) id`,
        [incident.patients.slice(0, 3)],
      );
    });
    const two = { before: s.before, production: s.production, sources: { before: "before db" } };
    const plain = await makeRepairPlan(two, { tables: ["Patient"], followForeignKeys: false, plansDir }, ctx);
    assert.equal(plain.header.states, "two");
    assert.equal(plain.header.tables[0]!.counts.conflict, incident.patients.length);
    assert.match(plain.header.warnings.join("\n"), /two states only/);
    const audited = await makeRepairPlan(
      two,
      {
        tables: ["Patient"],
        followForeignKeys: false,
        plansDir,
        audit: { from: new Date("2026-01-17T14:35:40Z"), to: new Date("2026-01-17T14:35:50Z") },
      },
      ctx,
    );
    assert.equal(audited.header.tables[0]!.counts.restore, 3);
    assert.equal(audited.header.tables[0]!.counts.conflict, incident.patients.length - 3);
    assert.deepEqual(audited.header.audit, { from: "2026-01-17T14:35:40.000Z", to: "2026-01-17T14:35:50.000Z" });
    // Verify compares with the plan's own audit window: the rows it attributed stay "restore", not conflicts.
    const v = await verifyRepair(
      two,
      {
        planPath: audited.path,
        journaledDigest: await journaledPlanDigest(journal, audited.header.planId),
        plansDir,
        decisions: new Map(),
      },
      ctx,
    );
    assert.deepEqual(v.tables[0]!.byClass, {
      reinsert: 0,
      restore: 3,
      conflict: incident.patients.length - 3,
      inserted: 0,
    });
  });

  test("schema drift is reported and handled: dropped, added and generated columns, a trigger, a key that changed type", async () => {
    const s = await makeStates(
      cluster(),
      template,
      async (p) => {
        await sql(p, `UPDATE "Patient" SET phone = NULL WHERE id <= 3`);
      },
      async (p) => {
        await sql(p, `ALTER TABLE "Patient" DROP COLUMN "insuranceNumber"`);
        await sql(p, `ALTER TABLE "Patient" ADD COLUMN "nickname" text`);
        await sql(
          p,
          `ALTER TABLE "Patient" ADD COLUMN "full" text GENERATED ALWAYS AS ("firstName" || ' ' || "lastName") STORED`,
        );
        await touchTrigger(p);
        await sql(p, `ALTER TABLE "RefreshToken" ALTER COLUMN id TYPE text`);
      },
    );
    const r = await makeRepairPlan(
      statesOf(s),
      { tables: ["Patient", "RefreshToken"], followForeignKeys: false, plansDir },
      ctx,
    );
    const p = r.header.tables.find((t) => t.table === "public.Patient")!;
    assert.deepEqual(p.drift.droppedSinceBefore, ["insuranceNumber"]);
    assert.deepEqual(p.drift.addedSinceBefore, ["nickname", "full"]);
    assert.deepEqual(p.triggers, ["patient_touch"]);
    assert.equal(p.counts.restore, 3);
    assert.match(p.warnings.join("\n"), /insuranceNumber[\s\S]*patient_touch/);
    const rt = r.header.tables.find((t) => t.table === "public.RefreshToken")!;
    assert.equal(rt.error?.code, "SCHEMA_MISMATCH");
    assert.match(rt.error!.message, /key column "id" of "public.RefreshToken" changed type: uuid .* text/);
    assert.match(r.header.warnings.join("\n"), /RefreshToken was not planned/);
  });

  test("a table without a primary key: whole rows compared, with a clear warning", async () => {
    const s = await makeStates(
      cluster(),
      template,
      async (p) => {
        await sql(p, `DELETE FROM "Visit" WHERE n IN (2, 3)`);
        await sql(p, `INSERT INTO "Visit" VALUES (99, 'bogus')`);
      },
      async (p) => void (await sql(p, `INSERT INTO "Visit" VALUES (100, 'later')`)),
    );
    const r = await makeRepairPlan(statesOf(s), { tables: ["Visit"], plansDir }, ctx);
    const v = r.header.tables[0]!;
    assert.equal(v.mode, "full-row");
    assert.deepEqual(v.counts, {
      reinsert: 2,
      restore: 0,
      conflict: 0,
      inserted: 1,
      later: 1,
      repaired: 0,
      unchanged: 3,
    });
    assert.match(v.warnings[0]!, /no primary key: whole rows are compared/);
    const rows = await entries(r.path);
    assert.deepEqual(
      rows
        .filter((e) => e.class === "reinsert")
        .map((e) => e.before!.n)
        .sort(),
      ["2", "3"],
    );
  });
});
