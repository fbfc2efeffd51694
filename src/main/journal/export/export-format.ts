// Small text helpers shared by the human-readable exports.

/** "2026-01-17 14:30:05 UTC" */
const CANONICAL_TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function fmtTime(iso: string | undefined): string {
  if (!iso) return "—";
  // Journal timestamps are already UTC ISO with ms: cut, don't parse (this runs once per exported record).
  if (CANONICAL_TS.test(iso)) return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "14:30:05" (the date is given once in the heading) */
export function fmtClock(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(11, 19) : iso;
}

export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "—";
  const neg = ms < 0;
  if (Math.abs(ms) < 1000) return `${neg ? "-" : ""}${Math.abs(Math.round(ms))} ms`;
  let s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts = h ? [`${h} h`, `${m} min`] : m ? [`${m} min`, ...(s ? [`${s} s`] : [])] : [`${s} s`];
  return `${neg ? "-" : ""}${parts.join(" ")}`;
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
