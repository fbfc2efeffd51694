// Applying a repair plan to real PostgreSQL, and verifying it afterwards: the faults first (no confirmation, a
// production that moved, a constraint violation, a connection lost mid-apply: production left exactly as it was,
// journaled), then the dry run, the repair with decisions, triggers, the ON DELETE CASCADE damage, and verify staying
// red until the last damaged row is repaired or decided.
import { before, describe, test } from "node:test";
import { readFile, writeFile } from "node:fs/promises";
import assert from "node:assert/strict";
import { applyRepairPlan } from "../../../../src/main/forensics/repair/apply-plan.ts";
import { loadDecisions, recordDecisions } from "../../../../src/main/forensics/repair/decisions.ts";
import { makeRepairPlan, type PlanResult } from "../../../../src/main/forensics/repair/make-plan.ts";
import { journaledPlanDigest, planAppliedAt, planIdOf } from "../../../../src/main/forensics/repair/plan-digest.ts";
import { planEntries } from "../../../../src/main/forensics/repair/plan-file.ts";
import { verifyRepair } from "../../../../src/main/forensics/repair/verify-repair.ts";
import type { PlanEntry } from "../../../../src/shared/repair-plan.ts";
import { isLifeboatError } from "../../../../src/shared/errors.ts";
import type { OpenJournal } from "../../../../src/main/journal/journal.ts";
import { sql } from "../forensics-fixture.ts";
import {
  databaseDigest,
  makeStates,
  mixedIncident,
  statesOf,
  touchTrigger,
  useRepairWorld,
  type States,
} from "./repair-fixture.ts";

describe("applying and verifying a repair plan", () => {
  const world = useRepairWorld();
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
  const plan = (s: States, tables = ["ClinicalNote", "Patient"]) =>
    makeRepairPlan(statesOf(s), { tables, plansDir }, ctx);
  const apply = (
    s: States,
    p: PlanResult,
    extra: { dryRun?: boolean; confirm?: string; fireTriggers?: boolean } = {},
  ) =>
    loadDecisions(plansDir, p.header.planId).then(async (decisions) =>
      applyRepairPlan(
        s.production,
        {
          planPath: p.path,
          journaledDigest: await journaledPlanDigest(journal, planIdOf(p.path)),
          appliedAt: await planAppliedAt(journal, planIdOf(p.path)),
          dryRun: extra.dryRun ?? false,
          decisions,
          ...extra,
          ...(extra.dryRun ? {} : { confirm: extra.confirm ?? s.prodDb }),
        },
        ctx,
      ),
    );
  const verify = async (s: States, p: PlanResult) =>
    verifyRepair(
      statesOf(s),
      {
        planPath: p.path,
        journaledDigest: await journaledPlanDigest(journal, planIdOf(p.path)),
        plansDir,
        decisions: await loadDecisions(plansDir, p.header.planId),
      },
      ctx,
    );
  const lastApply = async () => (await journal.query({ kind: "forensics.apply" })).records.at(-1)!;
  const entriesOf = async (p: PlanResult) => {
    const out: PlanEntry[] = [];
    for await (const e of planEntries(p.path)) out.push(e);
    return out;
  };

  test("without the typed production name nothing is written, and the journal says refused", async () => {
    const s = await makeStates(cluster(), template, mixedIncident);
    const p = await plan(s);
    const digest = await databaseDigest(s.production);
    for (const confirm of ["", "clinic", "rp_before_1"])
      await assert.rejects(apply(s, p, { confirm }), (e) => isLifeboatError(e) && e.code === "CONFIRMATION_REQUIRED");
    assert.equal(await databaseDigest(s.production), digest);
    assert.equal((await lastApply()).outcome, "refused");
  });

  test("a production that moved since planning is refused: re-plan; nothing written", async () => {
    let incident!: Awaited<ReturnType<typeof mixedIncident>>;
    const s = await makeStates(cluster(), template, async (p) => void (incident = await mixedIncident(p)));
    const p = await plan(s);
    await sql(s.production, `UPDATE "Patient" SET email = 'moved@example.org' WHERE id = $1`, [incident.patients[3]]);
    const digest = await databaseDigest(s.production);
    await assert.rejects(
      apply(s, p),
      (e) => isLifeboatError(e) && e.code === "PLAN_STALE" && /re-plan|plan again/i.test(e.hint ?? ""),
    );
    assert.equal(await databaseDigest(s.production), digest);
    const rec = await lastApply();
    assert.equal(rec.outcome, "refused");
    assert.match(
      String((rec.details?.error as { message: string }).message),
      /production moved since the plan was made/,
    );
  });

  test("a plan file changed after it was made, or one the journal never saw, is refused by apply and verify (journaled); nothing written", async () => {
    const s = await makeStates(cluster(), template, mixedIncident);
    const p = await plan(s);
    const digest = await databaseDigest(s.production);
    const text = await readFile(p.path, "utf8");
    // A hand edit: one re-inserted note gets other content.
    await writeFile(p.path, text.replace(/"content":"[^"]*"/, '"content":"edited by hand"'));
    const tampered = (e: unknown) =>
      isLifeboatError(e) &&
      e.code === "PLAN_TAMPERED" &&
      /changed after it was made/.test(e.message) &&
      /make the plan again/i.test(e.hint ?? "");
    await assert.rejects(apply(s, p), tampered);
    await assert.rejects(apply(s, p, { dryRun: true }), tampered);
    assert.equal(await databaseDigest(s.production), digest);
    const rec = await lastApply();
    assert.equal(rec.outcome, "refused");
    assert.equal((rec.details?.error as { code: string }).code, "PLAN_TAMPERED");
    await assert.rejects(verify(s, p), tampered);
    const v = (await journal.query({ kind: "forensics.verify" })).records.at(-1)!;
    assert.equal(v.outcome, "refused");
    // The same bytes under an id the journal never recorded: no reference to trust.
    await writeFile(p.path, text);
    const stray = { ...p, path: p.path.replace(p.header.planId, "plan-20260101-000000-abcdef") };
    await writeFile(stray.path, text);
    await assert.rejects(
      apply(s, stray),
      (e) => isLifeboatError(e) && e.code === "PLAN_TAMPERED" && /no record of repair plan/.test(e.message),
    );
    assert.equal(await databaseDigest(s.production), digest);
  });

  test("ON DELETE CASCADE damage is re-inserted, parents first; a unique value taken since fails the whole apply", async () => {
    const s = await makeStates(
      cluster(),
      template,
      async (p) => void (await sql(p, `DELETE FROM "User" WHERE id = 'u-gone'`)),
      async (p) =>
        void (await sql(
          p,
          `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ('u-new', 'gone@example.org', 'New', 'x', now())`,
        )),
      async (p) => {
        await sql(
          p,
          `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt") VALUES ('u-gone', 'gone@example.org', 'Gone', 'x', now())`,
        );
        await sql(
          p,
          `INSERT INTO "RefreshToken" (id, "userId", "tokenHash", "expiresAt") SELECT gen_random_uuid(), 'u-gone', 'tok' || g, now() FROM generate_series(1, 3) g`,
        );
      },
    );
    const p = await plan(s, ["User"]);
    const rt = p.header.tables.find((t) => t.table === "public.RefreshToken")!;
    assert.equal(rt.counts.reinsert, 3, "the cascade's deleted children are found by the same comparison");
    assert.match(rt.reason, /ON DELETE CASCADE/);
    const digest = await databaseDigest(s.production);
    await assert.rejects(
      apply(s, p),
      (e) =>
        isLifeboatError(e) &&
        e.code === "REPAIR_FAILED" &&
        /User_email_key/.test(e.message) &&
        /nothing was written/.test(e.message),
    );
    assert.equal(await databaseDigest(s.production), digest);
    // Once the operator deals with the new user, the same kind of plan goes through, parents before children.
    await sql(s.production, `UPDATE "User" SET email = 'new@example.org' WHERE id = 'u-new'`);
    const again = await plan(s, ["User"]);
    const r = await apply(s, again);
    assert.equal(r.tables.find((t) => t.table === "public.User")!.inserted, 1);
    assert.equal(r.tables.find((t) => t.table === "public.RefreshToken")!.inserted, 3);
    assert.equal((await verify(s, again)).green, true);
  });

  test("a connection lost mid-apply leaves production as it was, and the journal says so", async () => {
    const s = await makeStates(cluster(), template, mixedIncident, async (p) => {
      // A trigger that kills its own session: the connection drops in the middle of the repair.
      await sql(
        p,
        `CREATE FUNCTION die() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END$$`,
      );
      await sql(p, `CREATE TRIGGER rx_die AFTER UPDATE ON "Prescription" FOR EACH ROW EXECUTE FUNCTION die()`);
    });
    const p = await plan(s);
    const digest = await databaseDigest(s.production);
    await assert.rejects(
      apply(s, p, { fireTriggers: true }),
      (e) => isLifeboatError(e) && e.code !== "INTERNAL" && /not committed, nothing was written/.test(e.message),
    );
    assert.equal(await databaseDigest(s.production), digest);
    assert.equal((await lastApply()).outcome, "failed");
  });

  test("dry run: the statements' exact effects, then rolled back", async () => {
    let incident!: Awaited<ReturnType<typeof mixedIncident>>;
    const s = await makeStates(cluster(), template, async (p) => void (incident = await mixedIncident(p)));
    const p = await plan(s);
    const digest = await databaseDigest(s.production);
    const r = await apply(s, p, { dryRun: true });
    const t = Object.fromEntries(r.tables.map((x) => [x.table, x]));
    assert.equal(t["public.ClinicalNote"]!.inserted, incident.notes.length);
    assert.equal(t["public.Patient"]!.updated, incident.patients.length);
    assert.equal(t["public.Prescription"]!.updated, incident.unlinked.length);
    assert.deepEqual(r.leftAlone, { undecided: 2, kept: 0 }, "the two inserted notes wait for a decision");
    assert.equal(await databaseDigest(s.production), digest);
  });

  test("repair with decisions; verify stays red until every damaged row is repaired or decided", async () => {
    let incident!: Awaited<ReturnType<typeof mixedIncident>>;
    const s = await makeStates(
      cluster(),
      template,
      async (p) => void (incident = await mixedIncident(p)),
      async (p) => {
        await sql(p, `UPDATE "Patient" SET phone = '+1 555 0100' WHERE id = $1`, [incident.patients[0]]);
        await sql(p, `UPDATE "Patient" SET phone = '+1 555 0101' WHERE id = $1`, [incident.patients[1]]);
        await touchTrigger(p);
      },
    );
    const before = await sql(
      s.before,
      `SELECT id, phone, email, "updatedAt"::text AS u FROM "Patient" WHERE id = ANY($1) ORDER BY id`,
      [incident.patients],
    );
    const p = await plan(s);
    const red = await verify(s, p);
    assert.equal(red.green, false);
    assert.equal(red.undecided, p.header.entries, "before any repair every damaged row remains");

    const rows = await entriesOf(p);
    const inserted = rows.filter((e) => e.class === "inserted");
    await assert.rejects(
      recordDecisions(
        plansDir,
        p.header.planId,
        [{ table: "public.Patient", key: [String(incident.patients[2])], choice: "remove" }],
        ctx,
      ),
      (e) => isLifeboatError(e) && e.code === "USAGE" && /does not apply/.test(e.message),
    );
    await recordDecisions(
      plansDir,
      p.header.planId,
      [
        { table: "public.Patient", key: [String(incident.patients[0])], choice: "keep-now" },
        { table: "public.Patient", key: [String(incident.patients[1])], choice: "per-column", takeBefore: ["email"] },
        { table: "public.ClinicalNote", key: inserted[0]!.key, choice: "remove" },
      ],
      ctx,
    );
    const r = await apply(s, p);
    assert.deepEqual(r.leftAlone, { undecided: 1, kept: 1 });
    assert.deepEqual(r.tables.find((t) => t.table === "public.Patient")!.triggersDisabled, ["patient_touch"]);
    // Before values back exactly (the trigger did not touch updatedAt), the trigger enabled again.
    const now = await sql(
      s.production,
      `SELECT id, phone, email, "updatedAt"::text AS u FROM "Patient" WHERE id = ANY($1) ORDER BY id`,
      [incident.patients],
    );
    for (const [i, b] of before.entries()) {
      const n = now[i]!;
      if (b.id === incident.patients[0]) assert.equal(n.phone, "+1 555 0100", "keep now: the later phone stays");
      else if (b.id === incident.patients[1]) assert.deepEqual([n.phone, n.email], ["+1 555 0101", b.email]);
      else assert.deepEqual(n, b);
    }
    assert.equal(
      (await sql(s.production, `SELECT tgenabled FROM pg_trigger WHERE tgname = 'patient_touch'`))[0].tgenabled,
      "O",
    );
    const rx = await sql(
      s.production,
      `SELECT count(*)::int AS n FROM "Prescription" WHERE id = ANY($1) AND "noteId" IS NOT NULL`,
      [incident.unlinked],
    );
    assert.equal(rx[0].n, incident.unlinked.length, "the cascade's SET NULL is undone");

    const after1 = await verify(s, p);
    assert.equal(after1.green, false, "one inserted note is still undecided");
    // Applying the same plan again after this partial repair: refused, and told to re-plan.
    const digest = await databaseDigest(s.production);
    await assert.rejects(
      apply(s, p),
      (e) =>
        isLifeboatError(e) &&
        e.code === "PLAN_STALE" &&
        /already applied/.test(e.message) &&
        /^Re-plan: make a new plan/.test(e.hint ?? ""),
    );
    assert.equal(await databaseDigest(s.production), digest);
    assert.equal((await lastApply()).outcome, "refused");
    assert.equal(after1.undecided, 1);
    assert.equal(after1.decided, 2);
    assert.deepEqual(
      after1.tables.filter((t) => t.undecided).map((t) => [t.table, t.undecided, t.byClass.inserted]),
      [["public.ClinicalNote", 1, 1]],
    );
    await recordDecisions(
      plansDir,
      p.header.planId,
      [{ table: "public.ClinicalNote", key: inserted[1]!.key, choice: "keep" }],
      ctx,
    );
    const green = await verify(s, p);
    assert.equal(green.green, true);
    assert.equal(green.undecided, 0);
    const rec = (await journal.query({ kind: "forensics.verify" })).records.at(-1)!;
    assert.equal(rec.details?.green, true);
  });

  test("triggers told to fire change what they change, and verify reports those rows as still damaged", async () => {
    let incident!: Awaited<ReturnType<typeof mixedIncident>>;
    const s = await makeStates(
      cluster(),
      template,
      async (p) => void (incident = await mixedIncident(p)),
      async (p) => {
        await touchTrigger(p);
      },
    );
    const p = await plan(s, ["Patient"]);
    await apply(s, p, { fireTriggers: true });
    const v = await verify(s, p);
    const patient = v.tables.find((t) => t.table === "public.Patient")!;
    assert.equal(patient.undecided, incident.patients.length);
    assert.equal(v.green, false);
  });

  test("a table without a key: deleted rows re-inserted and an inserted row removed by their whole contents", async () => {
    const s = await makeStates(
      cluster(),
      template,
      async (p) =>
        void (await sql(p, `DELETE FROM "Visit" WHERE n IN (2, 3); INSERT INTO "Visit" VALUES (99, 'bogus')`)),
      async (p) => void (await sql(p, `INSERT INTO "Visit" VALUES (100, 'later'), (1, 'a')`)),
      async (p) =>
        void (await sql(
          p,
          `CREATE TABLE "Visit" (n int, what text); INSERT INTO "Visit" SELECT g, chr(96 + g) FROM generate_series(1, 5) g`,
        )),
    );
    const p = await plan(s, ["Visit"]);
    const bogus = (await entriesOf(p)).find((e) => e.class === "inserted")!;
    await recordDecisions(
      plansDir,
      p.header.planId,
      [{ table: "public.Visit", key: bogus.key, choice: "remove" }],
      ctx,
    );
    const r = await apply(s, p);
    assert.deepEqual([r.tables[0]!.inserted, r.tables[0]!.deleted], [2, 1]);
    const rows = await sql(s.production, `SELECT n, what FROM "Visit" ORDER BY n, what`);
    assert.deepEqual(
      rows.map((x) => `${x.n}${x.what}`),
      ["1a", "1a", "2b", "3c", "4d", "5e", "100later"],
      "the duplicate written later is kept",
    );
    assert.equal((await verify(s, p)).green, true);
  });
});
