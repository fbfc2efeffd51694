// The single pass behind the human-readable exports: fold the scope's records into an incident report while rendering
// each timeline row into a private temp file. The report (summary, RTO/RPO, checklist) goes first in the document but
// needs every record, so the rows wait on disk rather than in memory, and each record is parsed once.
import type { JournalRecord, IncidentReport } from "../../shared/api/journal-schemas.ts";
import { createHash } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IncidentReportBuilder } from "../incidents/incident-report.ts";
import { hashOfLine } from "../journal/canonical.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import type { ResolvedScope } from "./export-scope.ts";

export interface RenderedTimeline {
  report: IncidentReport;
  /** The rendered rows, in seq order. */
  rowsFile: string;
  records: number;
  /** sha256 over the record hashes, one per line: the same digest a JSON export of this scope carries. */
  digest: string;
  cleanup: () => Promise<void>;
}

export async function foldAndRender(
  reader: JournalReader,
  scope: ResolvedScope,
  row: (r: JournalRecord) => string,
  now = new Date(),
): Promise<RenderedTimeline> {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-export-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const rowsFile = join(dir, "rows");
    const fh = await open(rowsFile, "w", 0o600);
    const b = new IncidentReportBuilder(scope.scope.incident ?? "journal", now);
    const digest = createHash("sha256");
    let records = 0;
    try {
      for await (const chunk of reader.lineChunks(scope.query)) {
        let rows = "";
        let hashes = "";
        for (const { line } of chunk) {
          const rec = JSON.parse(line) as JournalRecord;
          b.add(rec);
          rows += row(rec);
          hashes += `${hashOfLine(line)}\n`;
          records++;
        }
        digest.update(hashes);
        await fh.write(rows);
      }
    } finally {
      await fh.close();
    }
    const report = b.finish();
    if (!scope.scope.incident) report.title = `Journal extract: ${scope.describe}`;
    return { report, rowsFile, records, digest: digest.digest("hex"), cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** Renders the timeline, hands it to `write` (the document around it), and removes the rows file whatever happens. */
export async function withRenderedTimeline<T>(
  reader: JournalReader,
  scope: ResolvedScope,
  row: (r: JournalRecord) => string,
  write: (rendered: RenderedTimeline) => Promise<T>,
): Promise<T> {
  const rendered = await foldAndRender(reader, scope, row);
  try {
    return await write(rendered);
  } finally {
    await rendered.cleanup();
  }
}

/** The report alone (for the console's incident view): one streamed pass, nothing rendered. */
export async function buildReport(
  reader: JournalReader,
  scope: ResolvedScope,
  now = new Date(),
): Promise<IncidentReport> {
  const b = new IncidentReportBuilder(scope.scope.incident ?? "journal", now);
  for await (const chunk of reader.lineChunks(scope.query))
    for (const { line } of chunk) b.add(JSON.parse(line) as JournalRecord);
  const r = b.finish();
  if (!scope.scope.incident) r.title = `Journal extract: ${scope.describe}`;
  return r;
}
