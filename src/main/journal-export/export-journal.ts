// One entry point for every export format. The export itself is journaled (with its digest), so the journal later
// proves which export was handed out.
import type { Writable } from "node:stream";
import { EXPORT_FORMATS, type ExportFormat, type ExportSummary } from "../../shared/api/channels/journal-channels.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { Journal } from "../journal/journal.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import { KIND } from "../journal/record.ts";
import { writeCsvExport } from "./export-csv.ts";
import { writeHtmlExport } from "./export-html.ts";
import { writeJsonExport } from "./export-json.ts";
import { writeMarkdownExport } from "./export-markdown.ts";
import { resolveScope, type ExportScope } from "./export-scope.ts";

export async function exportJournal(
  reader: JournalReader,
  opts: ExportScope & { format: ExportFormat; file?: string; journal?: Journal },
  out: Writable,
): Promise<ExportSummary> {
  if (!EXPORT_FORMATS.includes(opts.format))
    throw new LifeboatError(
      "USAGE",
      `Unknown export format "${opts.format}".`,
      `Use one of: ${EXPORT_FORMATS.join(", ")}.`,
    );
  const scope = await resolveScope(reader, opts);
  let records: number;
  let bytes: number;
  let digest: string | undefined;
  if (opts.format === "json") {
    const r = await writeJsonExport(reader, scope, out);
    ({ records, bytes } = r);
    digest = r.digest.value;
  } else if (opts.format === "csv") {
    ({ records, bytes } = await writeCsvExport(reader, scope, out));
  } else if (opts.format === "md") {
    ({ records, bytes, digest } = await writeMarkdownExport(reader, scope, out));
  } else {
    ({ records, bytes, digest } = await writeHtmlExport(reader, scope, out));
  }
  const summary: ExportSummary = {
    format: opts.format,
    scope: scope.describe,
    records,
    bytes,
    ...(digest ? { digest } : {}),
    chainHead: scope.chainHead,
  };
  await opts.journal?.append({
    kind: KIND.exported,
    summary: `Exported ${records} journal records (${scope.describe}) as ${opts.format}`,
    // Not attached to the exported incident by name: a closed incident takes no more records. While it is open, the
    // export attaches to it as every record does.
    details: {
      ...summary,
      ...(opts.incident ? { exportedIncident: opts.incident } : {}),
      ...(opts.file ? { file: opts.file } : {}),
    },
    outcome: "ok",
  });
  return summary;
}
