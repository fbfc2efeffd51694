// Small text helpers shared by the human-readable exports. Times, sizes and durations: src/shared/format.ts.

/** "14:30:05" (the date is given once in the heading) */
export function fmtClock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(11, 19) : iso;
}

const HTML_SPECIAL = /[&<>"']/;
const MD_SPECIAL = /[\r\n\\|<>]/;

export function escapeHtml(s: string): string {
  if (!HTML_SPECIAL.test(s)) return s;
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}

/** One table cell of Markdown: no line breaks, no column breaks, no raw HTML. */
export function mdCell(s: string): string {
  if (!MD_SPECIAL.test(s)) return s;
  return s
    .replace(/\r?\n|\r/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A table cell that keeps its line breaks (as <br>, which Markdown renderers show inside tables). */
export function mdCellLines(s: string): string {
  return s
    .split(/\r?\n|\r/)
    .map((l) => mdCell(l))
    .join("<br>");
}

/** Inline Markdown text outside tables. */
export function mdText(s: string): string {
  return s.replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function csvField(v: unknown): string {
  const s =
    v === undefined || v === null
      ? ""
      : typeof v === "string"
        ? v
        : typeof v === "object"
          ? JSON.stringify(v)
          : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
