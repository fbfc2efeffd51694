// Incidents to rehearse Scenario 1's repair on: a bad update (phone and email wiped on patients), and a mixed incident
// (notes deleted, so the foreign key sets their prescriptions' noteId to NULL, plus the same bad update, in one
// transaction), each followed by legitimate writes that touch some of the same rows. Every class of a repair plan
// shows up: re-insert, restore, conflict, inserted, later. The record names two points: the last good second (before)
// and the first whole second after the incident ended, before the later writes (damaged).
import type pg from "pg";
import { withClient } from "../postgres/connect.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";

export interface RepairIncidentResult {
  startedAt: string;
  finishedAt: string;
  /** A whole second after the incident committed and before any later write: the damaged state's point. */
  damagedSecond: string;
  summary: string;
  details: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const NOW_SQL = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export async function now(c: pg.Client): Promise<string> {
  return ((await c.query(`SELECT ${NOW_SQL} AS t`)).rows[0] as { t: string }).t;
}

export async function ids(c: pg.Client, text: string, values: unknown[] = []): Promise<number[]> {
  return (await c.query(text, values)).rows.map((r: { id: number }) => Number(r.id));
}

// The app's audit rows for what the bug did: one per record, as the clinic's middleware writes them.
export const AUDIT = `INSERT INTO "AuditLog" ("userId", "action", "tableName", "recordId", "timestamp", "ipAddress", "details")
  SELECT (SELECT "id" FROM "User" ORDER BY ("role" = 'ADMIN') DESC, "id" LIMIT 1), $1::"AuditAction", $2, r::text,
         clock_timestamp() AT TIME ZONE 'UTC', '10.0.4.17', jsonb_build_object('reason', $3::text, 'userAgent', 'DrAmalClinical/4.2.0')
  FROM unnest($4::int[]) r`;

/** Wipes phone and email on `n` patients (the bad update), returning their ids. */
async function wipeContacts(c: pg.Client, n: number): Promise<number[]> {
  const patients = await ids(
    c,
    `SELECT id FROM "Patient" WHERE phone IS NOT NULL AND email IS NOT NULL ORDER BY id DESC LIMIT $1`,
    [n],
  );
  await c.query(`UPDATE "Patient" SET phone = NULL, email = NULL, "updatedAt" = now() WHERE id = ANY($1)`, [patients]);
  await c.query(AUDIT, ["UPDATE", "Patient", "contact cleanup job", patients]);
  return patients;
}

/** Deletes `n` notes, most of them referred to by prescriptions (whose noteId the foreign key sets to NULL). */
async function deleteNotes(c: pg.Client, n: number): Promise<{ notes: number[]; unlinked: number[] }> {
  const notes = await ids(
    c,
    `SELECT id FROM "ClinicalNote" ORDER BY (id IN (SELECT "noteId" FROM "Prescription" WHERE "noteId" IS NOT NULL)) DESC, id DESC LIMIT $1`,
    [n],
  );
  const unlinked = await ids(c, `SELECT id FROM "Prescription" WHERE "noteId" = ANY($1) ORDER BY id`, [notes]);
  await c.query(`DELETE FROM "ClinicalNote" WHERE id = ANY($1)`, [notes]);
  await c.query(AUDIT, ["DELETE", "ClinicalNote", "bulk cleanup of draft notes", notes]);
  return { notes, unlinked };
}

/** The same bug's "bulk import": notes nobody wrote. */
async function insertJunk(c: pg.Client): Promise<number[]> {
  const notes = await ids(
    c,
    `INSERT INTO "ClinicalNote" ("patientId", "authorId", "status", "title", "content", "updatedAt")
     SELECT p.id, (SELECT "id" FROM "User" ORDER BY "id" LIMIT 1), 'DRAFT', 'Imported note', '(empty import)', now()
     FROM (SELECT id FROM "Patient" ORDER BY id LIMIT 2) p RETURNING id`,
  );
  await c.query(AUDIT, ["CREATE", "ClinicalNote", "bulk import", notes]);
  return notes;
}

/** Writes the clinic makes after the incident, some on rows the incident damaged (conflicts), some elsewhere. */
async function laterWrites(
  c: pg.Client,
  patients: number[],
  unlinked: number[],
): Promise<{ conflicts: number[]; rxConflicts: number[]; laterNote: number }> {
  const conflicts = patients.slice(0, 3);
  for (const [i, id] of conflicts.entries())
    await c.query(`UPDATE "Patient" SET phone = $2, "updatedAt" = now() WHERE id = $1`, [id, `+1-555-010${i}`]);
  await c.query(
    `UPDATE "Patient" SET email = 'front.desk.update@example.org', "updatedAt" = now() WHERE id = (SELECT min(id) FROM "Patient" WHERE NOT (id = ANY($1)))`,
    [patients],
  );
  const rxConflicts = unlinked.slice(0, 1);
  if (rxConflicts.length)
    await c.query(`UPDATE "Prescription" SET refills = refills + 1 WHERE id = ANY($1)`, [rxConflicts]);
  const laterNote = (
    await c.query(
      `INSERT INTO "ClinicalNote" ("patientId", "authorId", "status", "title", "content", "updatedAt")
       SELECT (SELECT min(id) FROM "Patient"), (SELECT "id" FROM "User" ORDER BY "id" LIMIT 1), 'DRAFT', 'Phone follow-up', 'Patient called back; no change to plan.', now()
       RETURNING id`,
    )
  ).rows[0] as { id: number };
  return { conflicts, rxConflicts, laterNote: Number(laterNote.id) };
}

/** A whole second strictly after the commit; the later writes wait until it has passed. */
export async function damagedPoint(c: pg.Client): Promise<string> {
  const t = await now(c);
  const next = new Date(Math.floor(Date.parse(t) / 1000) * 1000 + 1000);
  // Later writes wait two more seconds: room for the audit's suggested damaged point (a second after the last event, plus one).
  await sleep(Math.max(0, next.getTime() - Date.now()) + 2100);
  return `${next.toISOString().slice(0, 19)}Z`;
}

export async function stageRepairIncident(
  conn: ConnInfo,
  kind: "bad-update" | "mixed",
  opts: { rows?: number } = {},
): Promise<RepairIncidentResult> {
  return withClient(conn, async (c) => {
    await c.query("BEGIN");
    let startedAt: string;
    let patients: number[];
    let deleted = { notes: [] as number[], unlinked: [] as number[] };
    let inserted: number[] = [];
    try {
      startedAt = await now(c);
      if (kind === "mixed") deleted = await deleteNotes(c, opts.rows ?? 57);
      patients = await wipeContacts(c, kind === "mixed" ? 31 : (opts.rows ?? 31));
      if (kind === "mixed") inserted = await insertJunk(c);
      await c.query("COMMIT");
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    }
    const finishedAt = await now(c);
    const damagedSecond = await damagedPoint(c);
    const later = await laterWrites(c, patients, deleted.unlinked);
    const what =
      kind === "mixed"
        ? `deleted ${deleted.notes.length} "ClinicalNote" rows (the foreign key set "noteId" to NULL on ${deleted.unlinked.length} prescriptions), wiped phone and email on ${patients.length} "Patient" rows and inserted ${inserted.length} junk notes, in one transaction`
        : `wiped phone and email on ${patients.length} "Patient" rows`;
    return {
      startedAt,
      finishedAt,
      damagedSecond,
      summary: `${what}; afterwards the clinic kept writing (${later.conflicts.length + later.rxConflicts.length} of the damaged rows edited again, one new note)`,
      details: {
        tables: kind === "mixed" ? ["ClinicalNote", "Patient"] : ["Patient"],
        deletedNotes: deleted.notes,
        insertedNotes: inserted,
        unlinkedPrescriptions: deleted.unlinked,
        wipedPatients: patients,
        editedAgain: { patients: later.conflicts, prescriptions: later.rxConflicts },
        laterNote: later.laterNote,
      },
    };
  });
}
