// Earlier drill results come from the journal: the last passing run of the same profile is the baseline.
import type { JournalReader } from "../journal/journal.ts";

export const DRILL_KIND = "drill.neon";

export interface DrillBaseline {
  seq: number;
  ts: string;
  branch?: string;
  counts: Map<string, number>;
}

/** The newest passing drill of `profile` with counts, or undefined on a first run. */
export async function lastPassingDrill(
  reader: Pick<JournalReader, "query">,
  profile: string,
): Promise<DrillBaseline | undefined> {
  const { records } = await reader.query({ kind: DRILL_KIND, profile, outcome: "ok", newest: true, limit: 20 });
  for (const r of records.reverse()) {
    if (r.details.pass !== true || !Array.isArray(r.details.counts)) continue;
    const counts = new Map<string, number>();
    for (const c of r.details.counts as Array<{ table?: unknown; rows?: unknown }>) {
      if (typeof c.table === "string" && typeof c.rows === "number") counts.set(c.table, c.rows);
    }
    return {
      seq: r.seq,
      ts: r.ts,
      ...(typeof r.details.branch === "string" ? { branch: r.details.branch } : {}),
      counts,
    };
  }
  return undefined;
}
