import type { TableComparison } from "../../shared/api/channels/backup-channels.ts";
import type { TableCount } from "../../shared/manifest.ts";

export const qualified = (t: Pick<TableCount, "schema" | "table">): string => `${t.schema}.${t.table}`;

/** Every table the manifest counted must be present with exactly the same number of rows. */
export function compareCounts(expected: TableCount[], actual: Map<string, number>): TableComparison[] {
  return expected.map((t) => {
    const name = qualified(t);
    const got = actual.has(name) ? actual.get(name)! : null;
    return { table: name, expected: t.rows, actual: got, ok: got === t.rows };
  });
}

export function mismatches(c: TableComparison[]): string {
  return c
    .filter((x) => !x.ok)
    .slice(0, 10)
    .map((x) => `${x.table}: expected ${x.expected}, found ${x.actual ?? "no table"}`)
    .join("; ");
}
