// A key table that lost more than maxDropPercent of its rows since the last passing test is the seed's "sudden drop
// in record counts": the backup test fails, naming the table, while the history that still holds the rows exists.
import type { DrillCount } from "../../shared/api/neon-schemas.ts";
import type { KeyTableCount } from "./key-table-counts.ts";

export interface DrillComparison {
  counts: DrillCount[];
  failures: string[];
}

export function compareDrillCounts(
  current: KeyTableCount[],
  previous: Map<string, number> | undefined,
  maxDropPercent: number,
): DrillComparison {
  const failures: string[] = [];
  const counts = current.map((c): DrillCount => {
    const prev = previous?.get(c.table);
    if (c.rows === null) {
      failures.push(
        `table "${c.table}" does not exist on the test branch${prev !== undefined ? ` (it had ${prev} rows last time)` : ""}`,
      );
    } else if (prev !== undefined && prev > 0) {
      const drop = ((prev - c.rows) / prev) * 100;
      if (drop > maxDropPercent) {
        failures.push(
          `"${c.table}" fell from ${prev} to ${c.rows} rows (-${drop.toFixed(1)}%, more than the ${maxDropPercent}% allowed)`,
        );
      }
    }
    return { ...c, ...(previous ? { previous: prev ?? null } : {}) };
  });
  return { counts, failures };
}
