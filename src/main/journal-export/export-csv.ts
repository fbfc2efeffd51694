// CSV (RFC 4180: comma separated, CRLF line ends, fields with quotes, commas or line breaks are quoted and their
// quotes doubled). Values are written exactly as journaled, hashes included, so rows can be matched to the journal;
// "text" adds the operator's words in full (a note, a recorded value, a resolution), which a summary shortens.
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import type { Writable } from "node:stream";
import type { JournalReader } from "../journal/journal-reader.ts";
import { recordText } from "../../shared/journal/record-text.ts";
import { csvField } from "./export-format.ts";
import type { ResolvedScope } from "./export-scope.ts";
import { TextSink } from "./text-sink.ts";

export const CSV_COLUMNS = [
  "seq",
  "ts",
  "actor_user",
  "actor_host",
  "profile",
  "incident",
  "kind",
  "outcome",
  "duration_ms",
  "summary",
  "text",
  "details_json",
  "prev",
  "hash",
] as const;

/**
 * The details exactly as journaled: in a canonical line they sit between the top-level "details" key (the first, as
 * no earlier field can hold that key) and the top-level "outcome" key (the last, as no later field can). Saves
 * re-serializing every record.
 */
function detailsJson(line: string, r: JournalRecord): string {
  const from = line.indexOf(',"details":');
  const to = line.lastIndexOf(',"outcome":"');
  return from > 0 && to > from ? line.slice(from + 11, to) : JSON.stringify(r.details ?? {});
}

export async function writeCsvExport(
  reader: JournalReader,
  scope: ResolvedScope,
  out: Writable,
): Promise<{ records: number; bytes: number }> {
  const sink = new TextSink(out);
  await sink.write(`${CSV_COLUMNS.join(",")}\r\n`);
  let n = 0;
  for await (const chunk of reader.lineChunks(scope.query)) {
    for (const { line } of chunk) {
      const r = JSON.parse(line) as JournalRecord;
      const row = [
        r.seq,
        r.ts,
        r.actor?.user,
        r.actor?.host,
        r.profile,
        r.incident,
        r.kind,
        r.outcome,
        r.durationMs,
        r.summary,
        recordText(r),
        detailsJson(line, r),
        r.prev,
        r.hash,
      ];
      sink.push(`${row.map(csvField).join(",")}\r\n`);
      n++;
    }
    if (sink.full) await sink.flush();
  }
  await sink.flush();
  return { records: n, bytes: sink.bytes };
}
