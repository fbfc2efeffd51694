// A plan for review outside Lifeboat: CSV (one line per column that differs, as the seed's step 5 exports for a
// reviewer; a whole re-inserted or inserted row as one line with its values as JSON) or JSON ({plan, rows}). Streamed
// from the plan file, so any plan exports in bounded memory.
import { createWriteStream } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { finished } from "node:stream/promises";
import { dirname } from "node:path";
import type { PlanEntry, PlanHeader } from "../../../shared/repair-plan.ts";
import type { ForensicsContext } from "../forensics-context.ts";
import { csvField } from "../../journal-export/export-format.ts";
import { TextSink } from "../../journal-export/text-sink.ts";
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

export interface PlanExport {
  file: string;
  bytes: number;
  rows: number;
  digest: string;
}

/** Writes the export to `out` (a temp file renamed); journaled with its sha256 when a journal is given. */
export async function exportPlan(
  planPath: string,
  format: "csv" | "json",
  out: string,
  ctx?: ForensicsContext,
): Promise<PlanExport> {
  const header = await readPlanHeader(planPath);
  if (!ctx) return writeExport(planPath, header, format, out);
  return ctx.journal.step(
    {
      kind: "forensics.plan-export",
      summary: `Export repair plan ${header.planId} as ${format.toUpperCase()} to ${out}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: { planId: header.planId, format, file: out },
    },
    () => writeExport(planPath, header, format, out),
    (r) => ({ rows: r.rows, bytes: r.bytes, digest: r.digest }),
  );
}

async function writeExport(
  planPath: string,
  header: PlanHeader,
  format: "csv" | "json",
  out: string,
): Promise<PlanExport> {
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
