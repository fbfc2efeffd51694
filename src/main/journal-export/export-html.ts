// A self-contained HTML report: inline CSS (with print rules, so "Print to PDF" gives a clean document), an inline
// SVG timeline, no scripts and no external resources. Every piece of journal text is HTML-escaped.
import { formatDuration, formatTime } from "../../shared/format.ts";
import type { IncidentReport } from "../../shared/api/journal-schemas.ts";
import type { Writable } from "node:stream";
import type { JournalReader } from "../journal/journal-reader.ts";
import { escapeHtml as esc } from "./export-format.ts";
import { withRenderedTimeline, type RenderedTimeline } from "./export-report.ts";
import type { ResolvedScope } from "./export-scope.ts";
import { fullLine } from "../../shared/journal/record-text.ts";
import { objectiveRows, summaryLines } from "./report-text.ts";
import { omittedLine, shownSections, type WordsSection } from "./report-words.ts";
import { TextSink } from "./text-sink.ts";
import { timelineSvg } from "./timeline-svg.ts";

const CSS = `
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee4;--ok:#2e7d32;--bad:#c62828;--warn:#ef6c00;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:#fff}
main{max-width:1000px;margin:0 auto;padding:28px 24px 48px}
header{border-bottom:3px solid var(--ink);padding-bottom:12px;margin-bottom:18px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.sub{color:var(--muted)}
.facts{display:grid;grid-template-columns:repeat(4,1fr);gap:8px;margin:14px 0}
.fact{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.fact b{display:block;font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--muted)}
.SEV1{background:#b71c1c}.SEV2{background:#e65100}.SEV3{background:#f9a825;color:#222}.SEV4{background:#607d8b}
.met{color:var(--ok);font-weight:600}.missed{color:var(--bad);font-weight:600}.na{color:var(--muted)}
table{width:100%;border-collapse:collapse;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600}
td.num{white-space:nowrap;color:var(--muted);font-variant-numeric:tabular-nums}
td.when{white-space:nowrap;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--bg);padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
td code{white-space:nowrap}
.o-ok{color:var(--ok)}.o-failed{color:var(--bad);font-weight:600}.o-refused{color:var(--warn);font-weight:600}.o-started,.o-info{color:var(--muted)}
ul.check{list-style:none;padding:0;margin:0}
ul.check li{padding:3px 0}
ul.check li:before{content:"\\2610";display:inline-block;width:1.4em;color:var(--muted)}
ul.check li.done:before{content:"\\2611";color:var(--ok)}
.words{white-space:pre-wrap;overflow-wrap:anywhere}
td.words{min-width:16em}
.timeline{border:1px solid var(--line);border-radius:6px;padding:6px;margin:8px 0}
.integrity{font-size:12px;color:var(--muted);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
@media print{
  @page{size:A4;margin:14mm}
  body{font-size:11px}
  main{max-width:none;padding:0}
  h2{break-after:avoid}
  tr,li,.fact,.timeline{break-inside:avoid}
  thead{display:table-header-group}
  .facts{grid-template-columns:repeat(4,1fr)}
}`;

function wordsHtml(sections: WordsSection[]): string {
  return sections
    .map((s) => {
      const items = s.entries.map((e) => {
        const head = e.label ? `<b>${esc(e.label)}</b>${e.text ? ": " : ""}` : "";
        const when = `${esc(formatTime(e.ts))} — ${esc(e.by)}`;
        return s.todo
          ? `<li><span class="words">${head}${esc(e.text)}</span> <span class="sub">(${when})</span></li>`
          : `<li><span class="sub">${when}:</span> <span class="words">${head}${esc(e.text)}</span></li>`;
      });
      return `\n<h2>${esc(s.title)}</h2>${
        items.length
          ? `<ul${s.todo ? ' class="check"' : ""}>${items.join("")}</ul>`
          : `<p class="sub">None recorded.</p>`
      }`;
    })
    .join("");
}

function objectiveCell(status: string): string {
  const cls = status === "met" ? "met" : status === "missed" ? "missed" : "na";
  return `<span class="${cls}">${esc(status)}</span>`;
}

export async function writeHtmlExport(
  reader: JournalReader,
  scope: ResolvedScope,
  out: Writable,
): Promise<{ records: number; bytes: number; digest: string }> {
  return withRenderedTimeline(
    reader,
    scope,
    (rec) =>
      `<tr><td class="num">${rec.seq}</td><td class="when">${esc(formatTime(rec.ts).replace(" UTC", ""))}</td><td>${esc(rec.actor?.user ?? "")}</td><td><code>${esc(rec.kind)}</code></td><td class="o-${esc(rec.outcome)}">${esc(rec.outcome)}</td><td class="when">${rec.durationMs !== undefined ? esc(formatDuration(rec.durationMs)) : ""}</td><td class="words">${esc(fullLine(rec))}</td></tr>\n`,
    (rendered) => writeDocument(rendered, scope, out),
  );
}

async function writeDocument(
  rendered: RenderedTimeline,
  scope: ResolvedScope,
  out: Writable,
): Promise<{ records: number; bytes: number; digest: string }> {
  const r: IncidentReport = rendered.report;
  const isIncident = !!scope.scope.incident;
  const sink = new TextSink(out);
  const w = (s: string) => sink.write(s);
  const title = `${isIncident ? (r.drill ? "Drill report: " : "Post-mortem: ") : ""}${r.title}`;

  await w(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
  );
  await w(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
  );
  await w(`<title>${esc(title)}</title><style>${CSS}</style></head><body><main>\n`);
  await w(`<header><h1>${esc(title)}</h1><div class="sub">`);
  if (isIncident) {
    await w(
      `<code>${esc(r.id)}</code> · <span class="badge ${esc(r.severity ?? "")}">${esc(r.severity ?? "—")}</span> · ${esc(r.scenario ?? "—")}${r.drill ? " · drill" : ""} · ${esc(r.status)}`,
    );
  } else {
    await w(esc(scope.describe));
  }
  await w(
    ` · ${r.counts.records} journal records${r.counts.records ? ` (#${r.firstSeq}–#${r.lastSeq})` : ""}</div></header>\n`,
  );

  if (isIncident) {
    await w(`<div class="facts">`);
    for (const [k, v] of [
      [r.detectedAtOriginal ? "Detected (corrected)" : "Detected", r.detectedAt],
      ["Opened", r.openedAt],
      ["Service restored", r.serviceRestoredAt],
      ["Closed", r.closedAt],
    ] as [string, string | undefined][]) {
      await w(`<div class="fact"><b>${k}</b>${esc(formatTime(v))}</div>`);
    }
    await w(`</div>\n`);
  }
  await w(
    `<h2>Summary</h2>${summaryLines(r, isIncident)
      .map((l) => `<p>${esc(l)}</p>`)
      .join("")}\n`,
  );
  await w(`<h2>Timeline</h2><div class="timeline">${timelineSvg(r)}</div>\n`);

  if (isIncident) {
    await w(
      `<h2>Recovery objectives</h2><table><thead><tr><th>Objective</th><th>Target</th><th>Achieved</th><th>Status</th></tr></thead><tbody>`,
    );
    for (const [a, b, c, d] of objectiveRows(r))
      await w(`<tr><td>${esc(a!)}</td><td>${esc(b!)}</td><td>${esc(c!)}</td><td>${objectiveCell(d!)}</td></tr>`);
    await w(
      `</tbody></table><p class="sub">Recovery point used: ${esc(formatTime(r.rpo.recoveryPoint))}; corruption time: ${esc(formatTime(r.rpo.corruptionTime))}.${r.rpo.note ? ` ${esc(r.rpo.note)}` : ""}</p>\n`,
    );
    const done = r.checklist.filter((c) => c.done).length;
    await w(`<h2>Post-recovery checklist (${done}/${r.checklist.length})</h2><ul class="check">`);
    for (const c of r.checklist)
      await w(
        `<li class="${c.done ? "done" : ""}">${esc(c.item)}${c.done ? ` <span class="sub">— ${esc(formatTime(c.at))} by ${esc(c.by ?? "?")}</span>` : ""}</li>`,
      );
    await w(`</ul>\n`);
  }
  await w(wordsHtml(shownSections(r, isIncident, ["Decisions"])));
  await w(`\n<h2>Operations</h2>`);
  if (!r.operations.length) await w(`<p class="sub">None.</p>`);
  else {
    await w(
      `<table><thead><tr><th>Started</th><th>Operation</th><th>Outcome</th><th>Duration</th><th>Summary</th></tr></thead><tbody>`,
    );
    for (const o of r.operations) {
      await w(
        `<tr><td class="when">${esc(formatTime(o.startedAt))}</td><td><code>${esc(o.kind)}</code></td><td class="o-${esc(o.outcome)}">${esc(o.outcome)}</td><td class="when">${esc(formatDuration(o.durationMs))}</td><td>${esc(o.summary)}${o.error ? ` <span class="o-failed">— ${esc(o.error)}</span>` : ""}</td></tr>`,
      );
    }
    await w(`</tbody></table>`);
  }
  await w(wordsHtml(shownSections(r, isIncident, ["Runbook steps", "Notes", "Follow-ups"])));
  const omitted = omittedLine(r);
  if (omitted) await w(`<p class="sub">${esc(omitted)}</p>`);
  if (isIncident) {
    await w(
      `\n<h2>Contacts</h2><table><thead><tr><th>Role</th><th>Name</th><th>Contact</th><th>Responsibility</th></tr></thead><tbody>`,
    );
    for (const c of r.contacts)
      await w(
        `<tr><td>${esc(c.role)}</td><td>${esc(c.name)}</td><td>${esc(c.contact)}</td><td>${esc(c.responsibility ?? "")}</td></tr>`,
      );
    await w(`</tbody></table>`);
  }

  await w(
    `\n<h2>Journal records</h2><table><thead><tr><th>#</th><th>Time (UTC)</th><th>Actor</th><th>Event</th><th>Outcome</th><th>Duration</th><th>Summary</th></tr></thead><tbody>\n`,
  );
  await sink.copyFile(rendered.rowsFile);
  const n = rendered.records;
  const value = rendered.digest;
  await w(
    `</tbody></table>\n<h2>Integrity</h2><div class="integrity">Generated ${esc(formatTime(new Date().toISOString()))} from ${n} journal records. `,
  );
  await w(
    `Export digest (sha256 over the record hashes, one per line): <code>${value}</code>. Journal chain head at export: #${scope.chainHead.seq} <code>${esc(scope.chainHead.hash)}</code>. `,
  );
  await w(
    `On the machine holding the journal, <code>lifeboat journal verify --anchor ${scope.chainHead.seq}:${esc(scope.chainHead.hash)}</code> proves these records are unchanged; a JSON export of the same scope verifies on its own.</div>\n`,
  );
  await w(`</main></body></html>\n`);
  await sink.flush();
  return { records: n, bytes: sink.bytes, digest: value };
}
