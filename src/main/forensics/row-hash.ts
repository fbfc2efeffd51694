// What stands in for a row in a comparison. hash_record_extended (PostgreSQL 14+) hashes each value with its type's
// own hash function: no text conversion, about four times cheaper than md5 of the row text, 64 bits wide. Types
// without a hash function (json, point, ...) and older servers fall back to md5 of the row text, which the session
// settings of side.ts make independent of TimeZone and DateStyle.
//
// Enum values hash by their OID, which differs between databases restored separately (each restore creates the type
// anew): every row would read as changed. A row holding an enum anywhere (a column, an array's element, a domain's
// base, a composite's field) is therefore compared by its text, which carries the label. This is the one place that
// decides, for diff, copy and the repair plans alike.
import { quoteIdent, type ColumnInfo } from "./table-info.ts";
import type { Side } from "./side.ts";

export type RowHashMethod = "hash_record_extended" | "md5";

function rowExpr(columns: readonly ColumnInfo[], alias: string): string {
  return `ROW(${columns.map((c) => `${alias}.${quoteIdent(c.name)}`).join(", ")})`;
}

export function rowHashExpr(method: RowHashMethod, columns: readonly ColumnInfo[], alias = "t"): string {
  return method === "md5"
    ? `md5(${rowExpr(columns, alias)}::text)`
    : `hash_record_extended(${rowExpr(columns, alias)}, 0)::text`;
}

const HOLDS_ENUM = `
WITH RECURSIVE t(oid) AS (
  SELECT x::regtype::oid FROM unnest($1::text[]) x
  UNION
  SELECT c.oid FROM t JOIN pg_catalog.pg_type ty ON ty.oid = t.oid
  CROSS JOIN LATERAL (
    SELECT ty.typelem UNION ALL SELECT ty.typbasetype
    UNION ALL SELECT a.atttypid FROM pg_catalog.pg_attribute a WHERE a.attrelid = ty.typrelid AND a.attnum > 0
  ) c(oid)
  WHERE c.oid <> 0
)
SELECT EXISTS (SELECT 1 FROM t JOIN pg_catalog.pg_type ty ON ty.oid = t.oid WHERE ty.typtype = 'e') AS e`;

async function supportsTypeHash(side: Side, columns: readonly ColumnInfo[]): Promise<boolean> {
  // Inside the side's transaction an error would abort it; a savepoint contains the probe.
  await side.client.query("SAVEPOINT lifeboat_probe");
  try {
    const enums = await side.client.query<{ e: boolean }>(HOLDS_ENUM, [columns.map((c) => c.type)]);
    await side.client.query(`SELECT hash_record_extended(ROW(${columns.map((c) => `NULL::${c.type}`).join(", ")}), 0)`);
    await side.client.query("RELEASE SAVEPOINT lifeboat_probe");
    return !enums.rows[0]?.e;
  } catch {
    await side.client.query("ROLLBACK TO SAVEPOINT lifeboat_probe");
    return false;
  }
}

/** The cheapest method both sides can compute identically. */
export async function chooseRowHash(
  branch: Side,
  production: Side,
  columns: readonly ColumnInfo[],
  prodColumns: readonly ColumnInfo[],
): Promise<RowHashMethod> {
  const ok = (await supportsTypeHash(branch, columns)) && (await supportsTypeHash(production, prodColumns));
  return ok ? "hash_record_extended" : "md5";
}
