// The operator's own words in a record, and the one-line summary made from them. A summary is one line for lists; when
// it had to be shortened it says so ("…", and how long the whole is), and fullLine() gives the same line with every
// word, for timelines, the CLI list and the console's record view. Both are made here, so they always agree.
import type { JournalRecord } from "../api/journal-schemas.ts";
import { KIND } from "./record-kinds.ts";

/** Longest operator text shown inside a one-line summary. */
export const HEADLINE_CHARS = 160;

/** The first line of `text`, at most `max` characters, with a visible marker when anything was left out. */
export function headline(text: string, max = HEADLINE_CHARS): string {
  const t = text.trim();
  const firstLine = t.split(/\r?\n/, 1)[0]!.trimEnd();
  const head = firstLine.length > max ? firstLine.slice(0, max).trimEnd() : firstLine;
  if (head.length === t.length) return t;
  return `${head}… (${t.length.toLocaleString("en-US")} chars in full)`;
}

const NOTE_LABELS: Record<string, string> = {
  [KIND.note]: "Note",
  [KIND.decision]: "Decision",
  [KIND.followUp]: "Follow-up",
};

export function noteLabel(kind: string): string {
  return NOTE_LABELS[kind] ?? "Note";
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v : undefined);

/** What a runbook step record says, built from its parts (short for summaries, whole for timelines). */
export function runbookStepLine(runbook: string, title: string, value: string | undefined, whole = false): string {
  return `${runbook}: ${title}${value ? ` — ${whole ? value.trim() : headline(value)}` : ""}`;
}

/** The record's operator-written text in full (a note, a recorded value, a resolution), if it carries any. */
export function recordText(rec: Pick<JournalRecord, "kind" | "details">): string | undefined {
  const d = rec.details ?? {};
  if (rec.kind in NOTE_LABELS) return str(d.text);
  if (rec.kind === "runbook.step") return str(d.value);
  if (rec.kind === KIND.incidentClose) return str(d.resolution);
  return str(d.note);
}

/** The record as one (possibly multi-line) line with every word: the summary, unless the summary was shortened. */
export function fullLine(rec: Pick<JournalRecord, "kind" | "details" | "summary">): string {
  const text = recordText(rec);
  if (!text || rec.summary.includes(text.trim())) return rec.summary;
  const d = rec.details ?? {};
  if (rec.kind in NOTE_LABELS) return `${noteLabel(rec.kind)}: ${text.trim()}`;
  if (rec.kind === "runbook.step")
    return runbookStepLine(String(d.runbook ?? "runbook"), String(d.title ?? ""), text, true);
  if (rec.kind === KIND.incidentClose) return `Incident closed: ${text.trim()}`;
  return `${rec.summary} — ${text.trim()}`;
}
