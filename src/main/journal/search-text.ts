// What text search looks at for one record: kind, outcome, summary, incident, profile, actor and the string and number
// values inside details, lower-cased on one line. Stored in the index's text file, one line per record, cut at
// SEARCH_TEXT_MAX characters so the text file stays small; the reader checks a cut record's full text (searchTextOf with
// no limit) before it says the record does not match.
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";

export const SEARCH_TEXT_MAX = 1024;

function collect(v: unknown, out: string[], budget: { left: number }): void {
  if (budget.left <= 0 || v === null || v === undefined) return;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
    const s = String(v);
    out.push(s);
    budget.left -= s.length + 1;
  } else if (Array.isArray(v)) {
    for (const x of v) collect(x, out, budget);
  } else if (typeof v === "object") {
    for (const x of Object.values(v as Record<string, unknown>)) collect(x, out, budget);
  }
}

export function searchTextOf(r: JournalRecord, max = SEARCH_TEXT_MAX): string {
  const parts = [r.kind, r.outcome, r.summary, r.incident ?? "", r.profile ?? "", r.actor?.user ?? ""];
  collect(r.details, parts, { left: max });
  const text = parts
    .join(" ")
    .replace(/[\r\n]+/g, " ")
    .toLowerCase();
  return text.length > max ? text.slice(0, max) : text;
}

export function normalizeNeedle(text: string): string {
  return text.replace(/[\r\n]+/g, " ").toLowerCase();
}
