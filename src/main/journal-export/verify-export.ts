// Verifies a JSON export on its own, with nothing but the file: every record's hash, the order, the chain between
// consecutive records (the whole chain when the export is contiguous) and the final digest.
import type { ExportVerifyResult, JournalProblem } from "../../shared/api/channels/journal-channels.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { checkLine, lineOfRecord } from "../journal/canonical.ts";
import { EXPORT_FORMAT, type ExportDigest } from "./export-json.ts";

interface ExportDoc {
  format?: unknown;
  contiguous?: unknown;
  chainHead?: { seq: number; hash: string };
  scope?: unknown;
  records?: unknown;
  digest?: Partial<ExportDigest>;
}

export async function verifyExportFile(file: string): Promise<ExportVerifyResult> {
  return verifyExportText(await readFile(file, "utf8"), file);
}

export function verifyExportText(text: string, file = "<export>"): ExportVerifyResult {
  const problems: JournalProblem[] = [];
  const fail = (p: JournalProblem): ExportVerifyResult => ({ ok: false, file, records: 0, problems: [p] });
  let doc: ExportDoc;
  try {
    doc = JSON.parse(text) as ExportDoc;
  } catch {
    return fail({ kind: "truncated", message: "The export is not complete JSON: it was cut short or damaged." });
  }
  if (!doc || doc.format !== EXPORT_FORMAT || !Array.isArray(doc.records)) {
    return fail({ kind: "unparseable", message: `This is not a Lifeboat journal export (${EXPORT_FORMAT}).` });
  }
  const records = doc.records as JournalRecord[];
  const hasher = createHash("sha256");
  let prev: JournalRecord | undefined;
  records.forEach((rec, i) => {
    if (!rec || typeof rec !== "object" || typeof rec.seq !== "number" || typeof rec.hash !== "string") {
      problems.push({ kind: "unparseable", message: `Entry ${i + 1} of records is not a journal record.` });
      return;
    }
    hasher.update(`${rec.hash}\n`);
    const c = checkLine(lineOfRecord(rec));
    if (!c.ok) problems.push({ kind: "edited", seq: rec.seq, message: `Record #${rec.seq} was edited: ${c.message}.` });
    if (prev) {
      if (rec.seq === prev.seq)
        problems.push({
          kind: "inserted",
          seq: rec.seq,
          message: `Record #${rec.seq} appears twice: one of them was inserted.`,
        });
      else if (rec.seq < prev.seq)
        problems.push({
          kind: "reordered",
          seq: rec.seq,
          message: `Record #${rec.seq} comes after #${prev.seq}: records were reordered.`,
        });
      else if (rec.seq === prev.seq + 1 && rec.prev !== prev.hash) {
        problems.push({
          kind: "chain-broken",
          seq: rec.seq,
          message: `Record #${rec.seq} does not link to record #${prev.seq}: one of them was replaced.`,
        });
      } else if (rec.seq > prev.seq + 1 && doc.contiguous === true) {
        const a = prev.seq + 1;
        const b = rec.seq - 1;
        problems.push({
          kind: "missing",
          seq: a,
          message: a === b ? `Record #${a} is missing.` : `Records #${a} to #${b} are missing.`,
        });
      }
    }
    prev = rec;
  });

  const d = doc.digest;
  const value = hasher.digest("hex");
  const first = records[0]?.seq;
  const last = records[records.length - 1]?.seq;
  if (!d || typeof d.value !== "string") {
    problems.push({ kind: "truncated", message: "The export has no digest: it was cut short." });
  } else {
    if (d.count !== records.length) {
      const kind =
        records.length < (d.count ?? 0)
          ? last !== undefined && d.lastSeq !== undefined && d.lastSeq !== null && last < d.lastSeq
            ? "truncated"
            : "missing"
          : "inserted";
      problems.push({
        kind,
        message: `The digest covers ${d.count} records but the export holds ${records.length}: records were ${kind === "inserted" ? "added" : "removed"}.`,
      });
    } else if ((d.firstSeq ?? undefined) !== first || (d.lastSeq ?? undefined) !== last) {
      problems.push({
        kind: "truncated",
        message: `The digest covers #${d.firstSeq}..#${d.lastSeq} but the export holds #${first}..#${last}.`,
      });
    }
    if (d.value !== value)
      problems.push({
        kind: "digest-mismatch",
        message:
          "The export's digest does not match its records: records were added, removed, replaced or reordered after export.",
      });
  }
  return {
    ok: problems.length === 0,
    file,
    records: records.length,
    ...(first !== undefined ? { firstSeq: first, lastSeq: last as number } : {}),
    digest: value,
    ...(doc.chainHead ? { chainHead: doc.chainHead } : {}),
    scope: doc.scope,
    problems,
  };
}
