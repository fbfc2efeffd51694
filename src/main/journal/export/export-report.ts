// The first pass of the human-readable exports: fold the scope's records into an incident report (or, for a time
// range, just counts and operations), streaming.
import { IncidentReportBuilder, type IncidentReport } from "../../incidents/incident-report.ts";
import type { JournalReader } from "../journal-reader.ts";
import type { JournalRecord } from "../record.ts";
import type { ResolvedScope } from "./export-scope.ts";

export async function buildReport(reader: JournalReader, scope: ResolvedScope, now = new Date()): Promise<IncidentReport> {
  const b = new IncidentReportBuilder(scope.scope.incident ?? "journal", now);
  for await (const { line } of reader.lines(scope.query)) b.add(JSON.parse(line) as JournalRecord);
  const r = b.finish();
  if (!scope.scope.incident) r.title = `Journal extract: ${scope.describe}`;
  return r;
}
