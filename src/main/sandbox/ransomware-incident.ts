// The audit's "ransomware attack" (Scenario 6): someone with the application's stolen credentials "encrypts" every
// clinical note in place (title and content replaced by a hash of what was there) and leaves a ransom note as a
// table, in one transaction. The data before it is in Neon's history and in the off-site backups; production itself
// is kept as it is, as evidence.
import { withClient } from "../postgres/connect.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { now, type RepairIncidentResult } from "./repair-incidents.ts";

export const RANSOM_TABLE = "README_TO_RESTORE_YOUR_DATA";

export async function stageRansomware(conn: ConnInfo): Promise<Omit<RepairIncidentResult, "damagedSecond">> {
  return withClient(conn, async (c) => {
    await c.query("BEGIN");
    try {
      const startedAt = await now(c);
      const t = c.escapeIdentifier(RANSOM_TABLE);
      await c.query(`CREATE TABLE ${t} ("message" TEXT NOT NULL)`);
      await c.query(`INSERT INTO ${t} VALUES ($1)`, [
        "Your clinical notes are encrypted. Pay 40 BTC to get the key. Do not contact the police.",
      ]);
      const r = await c.query(
        `UPDATE "ClinicalNote" SET "title" = 'ENCRYPTED', "content" = 'ENCRYPTED:' || encode(sha256(convert_to("content", 'UTF8')), 'hex'), "updatedAt" = now()`,
      );
      await c.query("COMMIT");
      const finishedAt = await now(c);
      return {
        startedAt,
        finishedAt,
        summary: `an attacker with the application's credentials encrypted all ${r.rowCount} "ClinicalNote" rows in place and left the table "${RANSOM_TABLE}"`,
        details: { ransomTable: RANSOM_TABLE, encryptedNotes: r.rowCount ?? 0 },
      };
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    }
  });
}
