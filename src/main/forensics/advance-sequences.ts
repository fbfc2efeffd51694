// Rows copied back keep their ids. The serial/identity sequence behind such an id may sit below them (a branch-side
// sequence value never reaches production), and the application's next INSERT would then collide with a restored
// row. So after a copy each such sequence is moved forward to the column's max; never backward.
import { query, type Side } from "./side.ts";
import { quoteIdent, type TableRef } from "./table-info.ts";

export interface SequenceAdvance {
  column: string;
  sequence: string;
  /** The value nextval() would have returned before. */
  nextBefore: string;
  /** setval() to this (the column's max): nextval() now returns one more. */
  setTo: string;
}

const OWNED_SEQUENCES = `
SELECT a.attname AS column, pg_get_serial_sequence($1, a.attname) AS sequence
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = $2 AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence($1, a.attname) IS NOT NULL
ORDER BY a.attnum`;

export async function advanceSequences(side: Side, table: TableRef): Promise<SequenceAdvance[]> {
  const seqs = await query<{ column: string; sequence: string }>(side, OWNED_SEQUENCES, [table.qualified, table.oid]);
  const out: SequenceAdvance[] = [];
  for (const { column, sequence } of seqs.rows) {
    // pg_get_serial_sequence returns the name already quoted, so it can stand in a FROM clause.
    const state = await query<{ next: string; max: string | null }>(
      side,
      `SELECT (CASE WHEN s.is_called THEN s.last_value + 1 ELSE s.last_value END)::text AS next, (SELECT max(${quoteIdent(column)})::text FROM ${table.qualified}) AS max FROM ${sequence} s`,
    );
    const { next, max } = state.rows[0]!;
    if (max === null || BigInt(max) < BigInt(next)) continue;
    await query(side, "SELECT setval($1::regclass, $2::bigint, true)", [sequence, max]);
    out.push({ column, sequence, nextBefore: next, setTo: max });
  }
  return out;
}
