// A plan for review outside Lifeboat: CSV (one line per column that differs, as the seed's step 5 exports for a
// reviewer; a whole re-inserted or inserted row as one line with its values as JSON) or JSON ({plan, rows}). Streamed
// from the plan file, so any plan exports in bounded memory.
import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { dirname } from "node:path";
import type { PlanEntry } from "../../../shared/repair-plan.ts";
import { csvField } from "../../journal/export/export-format.ts";
import { TextSink } from "../../journal/export/text-sink.ts";
import { fileDigest, planEntries, readPlanHeader } from "./plan-file.ts";

export const PLAN_CSV_COLUMNS = ["table", "key", "class", "column", "before", "damaged", "now", "note"] as const;

function csvLines(e: PlanEntry): string[] {
  const line = (column: string, b: unknown, d: unknown, n: unknown) =>
    [e.table, e.key.join("|"), e.class, column, b, d, n, e.note ?? ""].map(csvField).join(",") + "\r\n";
  const whole = (r: Record<string, unknown> | null | undefined) =>
    r ? JSON.stringify(r) : r === null ? "(absent)" : "";
  // NULL and an empty string are different damage: a reviewer must see which.
  const value = (r: Record<string, unknown> | null | undefined, c: string) =>
    r === undefined ? "" : r === null ? "(absent)" : (r[c] ?? "(null)");
  if (e.columns.length === 0) return [line("(row)", whole(e.before), whole(e.damaged), whole(e.now))];
  return e.columns.map((c) => line(c, value(e.before, c), value(e.damaged, c), value(e.now, c)));
}

/** Writes the export next to `out` (atomically: a temp file renamed); returns its size and sha256. */
export async function exportPlan(
  planPath: string,
  format: "csv" | "json",
  out: string,
): Promise<{ file: string; bytes: number; rows: number; digest: string }> {
  const header = await readPlanHeader(planPath);
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.tmp`;
  const stream = createWriteStream(tmp, { mode: 0o600 });
  const sink = new TextSink(stream);
  let rows = 0;
  if (format === "csv") await sink.write(`${PLAN_CSV_COLUMNS.join(",")}\r\n`);
  else await sink.write(`{"plan":${JSON.stringify(header)},"rows":[`);
  for await (const e of planEntries(planPath)) {
    const text = format === "csv" ? csvLines(e).join("") : `${rows ? "," : ""}\n${JSON.stringify(e)}`;
    rows++;
    if (sink.push(text)) await sink.flush();
  }
  if (format === "json") await sink.write("\n]}\n");
  await sink.flush();
  stream.end();
  await finished(stream);
  await rename(tmp, out);
  return { file: out, bytes: sink.bytes, rows, digest: await fileDigest(out) };
}
