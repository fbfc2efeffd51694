// With only two states (before and now), the audit table is the one witness that a row was written by the incident
// rather than afterwards: a row is attributed when the audit table has an event for its table and id inside the
// incident window. Only the incident's events are held (the window is the incident's, not the table's history).
import { LifeboatError } from "../../../shared/errors.ts";
import { query, type Side } from "../side.ts";
import { quoteIdent, requireTable, tableColumns } from "../table-info.ts";

export interface AuditWindow {
  from: Date;
  to: Date;
  /** Default "AuditLog" with columns tableName, recordId, timestamp. */
  auditTable?: string;
}

export type Attribution = (qualified: string, bare: string, key: readonly string[]) => boolean;

export async function auditAttribution(now: Side, w: AuditWindow): Promise<Attribution> {
  if (!(w.from.getTime() < w.to.getTime()))
    throw new LifeboatError(
      "USAGE",
      `the incident window ends (${w.to.toISOString()}) before it starts (${w.from.toISOString()})`,
      "Give the window as the first and last audit event of the burst.",
    );
  const table = await requireTable(now.client, w.auditTable ?? "AuditLog", now.name);
  const cols = new Set((await tableColumns(now.client, table)).map((c) => c.name));
  for (const c of ["tableName", "recordId", "timestamp"])
    if (!cols.has(c))
      throw new LifeboatError(
        "SCHEMA_MISMATCH",
        `the audit table ${table.qualified} has no column "${c}"`,
        "Attribution needs tableName, recordId and timestamp columns; give the damaged state instead (a branch right after the incident).",
      );
  // The side's session runs in UTC, so a timestamp without time zone (Prisma's) reads as UTC.
  const r = await query<{ t: string; id: string }>(
    now,
    `SELECT DISTINCT a.${quoteIdent("tableName")}::text AS t, a.${quoteIdent("recordId")}::text AS id FROM ${table.qualified} a
     WHERE a.${quoteIdent("timestamp")}::timestamptz >= $1::timestamptz AND a.${quoteIdent("timestamp")}::timestamptz <= $2::timestamptz`,
    [w.from.toISOString(), w.to.toISOString()],
  );
  const seen = new Set(r.rows.map((x) => `${x.t}\u0000${x.id}`));
  return (qualified, bare, key) => {
    if (key.length !== 1) return false;
    return seen.has(`${bare}\u0000${key[0]}`) || seen.has(`${qualified}\u0000${key[0]}`);
  };
}
