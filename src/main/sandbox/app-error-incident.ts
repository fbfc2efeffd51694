// The audit's "application error" (Scenario 7): a bad release writes wrong data for a while, in many transactions
// and several tables, until it is rolled back; then the clinic keeps writing. Unlike Scenario 1's one bad statement,
// the damage spans the whole deploy window. In the sandbox the "hours" are a few seconds: three waves a second or more
// apart, each its own transaction with the app's audit rows, then the rollback (the damaged second), then later
// legitimate writes on other rows.
import type pg from "pg";
import { withClient } from "../postgres/connect.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { AUDIT, damagedPoint, ids, now, type RepairIncidentResult } from "./repair-incidents.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const BAD_RELEASE = "4.3.0";

interface Wave {
  table: string;
  column: string;
  /** Rows it picks (an id list) and what the bug writes into `column`. */
  pick: string;
  bad: string;
}

// Each wave of the bug: the phone "normaliser" keeps the last four digits, the dosage unit becomes grams, lab units
// are relabelled without converting the value.
const WAVES: Wave[] = [
  {
    table: "Patient",
    column: "phone",
    pick: `SELECT id FROM "Patient" WHERE phone IS NOT NULL ORDER BY id LIMIT 12`,
    bad: `right(regexp_replace(phone, '[^0-9]', '', 'g'), 4)`,
  },
  {
    table: "Prescription",
    column: "dosage",
    pick: `SELECT id FROM "Prescription" WHERE dosage LIKE '%mg%' ORDER BY id LIMIT 9`,
    bad: `replace(dosage, 'mg', 'g')`,
  },
  {
    table: "LabResult",
    column: "unit",
    pick: `SELECT id FROM "LabResult" ORDER BY id LIMIT 10`,
    bad: `CASE WHEN unit = 'mg/dL' THEN 'mmol/L' ELSE 'mg/dL' END`,
  },
];

async function wave(c: pg.Client, w: Wave): Promise<{ id: number; was: string | null }[]> {
  await c.query("BEGIN");
  try {
    const picked = await ids(c, w.pick);
    const col = c.escapeIdentifier(w.column);
    const was = (
      await c.query(
        `SELECT id, ${col}::text AS was FROM ${c.escapeIdentifier(w.table)} WHERE id = ANY($1) ORDER BY id`,
        [picked],
      )
    ).rows as { id: number; was: string | null }[];
    await c.query(`UPDATE ${c.escapeIdentifier(w.table)} SET ${col} = ${w.bad} WHERE id = ANY($1)`, [picked]);
    await c.query(AUDIT, ["UPDATE", w.table, `release ${BAD_RELEASE}`, picked]);
    await c.query("COMMIT");
    return was.map((r) => ({ id: Number(r.id), was: r.was }));
  } catch (e) {
    await c.query("ROLLBACK").catch(() => {});
    throw e;
  }
}

export async function stageAppError(conn: ConnInfo): Promise<RepairIncidentResult> {
  return withClient(conn, async (c) => {
    const startedAt = await now(c);
    const damaged: Record<string, { column: string; rows: { id: number; was: string | null }[] }> = {};
    for (const [i, w] of WAVES.entries()) {
      if (i > 0) await sleep(1200);
      damaged[w.table] = { column: w.column, rows: await wave(c, w) };
    }
    const finishedAt = await now(c);
    // The rollback: nothing wrong is written after this second.
    const damagedSecond = await damagedPoint(c);
    // The clinic goes on: a new note, and a patient the release never touched gets a new email.
    const touched = damaged.Patient!.rows.map((r) => r.id);
    const later = (
      await c.query(
        `UPDATE "Patient" SET email = 'after.rollback@example.org', "updatedAt" = now() WHERE id = (SELECT max(id) FROM "Patient" WHERE NOT (id = ANY($1))) RETURNING id`,
        [touched],
      )
    ).rows[0] as { id: number };
    const counts = Object.entries(damaged).map(([t, d]) => `${d.rows.length} "${t}"."${d.column}"`);
    return {
      startedAt,
      finishedAt,
      damagedSecond,
      summary: `release ${BAD_RELEASE} wrote wrong values into ${counts.join(", ")} in ${WAVES.length} transactions over ${Math.round((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000)} s, then was rolled back; afterwards the clinic kept writing`,
      details: { release: BAD_RELEASE, tables: WAVES.map((w) => w.table), damaged, laterPatient: Number(later.id) },
    };
  });
}
