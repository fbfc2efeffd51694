// The operators' own words in a report: decisions, runbook steps, notes and follow-ups, each in full. The Markdown and
// HTML reports render the same sections from here, so neither can drop what the other shows.
import type { IncidentReport } from "../../shared/api/journal-schemas.ts";

export interface WordsEntry {
  ts: string;
  by: string;
  text: string;
  /** Shown before the text (a runbook step's title and outcome). */
  label?: string;
}

export interface WordsSection {
  title: "Decisions" | "Runbook steps" | "Notes" | "Follow-ups";
  entries: WordsEntry[];
  /** Follow-ups are things to do: rendered as unticked boxes. */
  todo: boolean;
}

export function wordsSection(r: IncidentReport, title: WordsSection["title"]): WordsSection {
  if (title === "Runbook steps")
    return {
      title,
      todo: false,
      entries: r.steps.map((s) => ({
        ts: s.ts,
        by: s.by,
        label: `${s.runbook}: ${s.title} (${s.outcome})`,
        text: s.value ?? "",
      })),
    };
  const list = title === "Decisions" ? r.decisions : title === "Notes" ? r.notes : r.followUps;
  return { title, todo: title === "Follow-ups", entries: list.map((n) => ({ ts: n.ts, by: n.by, text: n.text })) };
}

/** An incident's report lists every section ("None recorded." when empty); an extract lists those it has. */
export function shownSections(r: IncidentReport, isIncident: boolean, titles: WordsSection["title"][]): WordsSection[] {
  return titles.map((t) => wordsSection(r, t)).filter((s) => isIncident || s.entries.length);
}

export function omittedLine(r: IncidentReport): string | undefined {
  return r.counts.omitted
    ? `${r.counts.omitted} further list entries are not repeated above; every record is in the timeline below, in full.`
    : undefined;
}
