// The report as one self-contained HTML page: inline CSS with print rules (the PDF is this page printed by Chromium),
// no scripts, no external resources, and every string from the evidence HTML-escaped.
import type { ComplianceItem, ComplianceReport, FactTable } from "../../../shared/compliance/compliance-report.ts";
import { formatDuration } from "../../../shared/format.ts";
import { escapeHtml as esc } from "../../journal-export/export-format.ts";
import { REPORT_CSS } from "./report-css.ts";
import {
  CITATIONS_SHOWN,
  itemHeading,
  periodText,
  refText,
  reportTitle,
  SECTION_TITLE,
  sections,
  VERDICT_LABEL,
  VERIFY_TEXT,
} from "../../../shared/compliance/report-text.ts";

const badge = (v: ComplianceItem["verdict"]) => `<span class="v v-${v}">${VERDICT_LABEL[v]}</span>`;

function table(t: FactTable): string {
  if (!t.rows.length) return "";
  const cut =
    t.total > t.rows.length
      ? ` <span class="sub">(the last ${t.rows.length} of ${t.total}; all in the JSON)</span>`
      : "";
  return `<div class="caption">${esc(t.title)}${cut}</div><table><thead><tr>${t.columns.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

function item(i: ComplianceItem, n: number): string {
  const cites = i.evidence.slice(-CITATIONS_SHOWN);
  return `<section class="item ${i.verdict}" id="item-${n}" aria-label="${esc(itemHeading(i))}">
<h3><span>${esc(itemHeading(i))}</span>${badge(i.verdict)}</h3>
<blockquote>${esc(i.requirement)}${i.hipaa ? ` (${esc(i.hipaa)})` : ""}</blockquote>
<p class="why"><b>${VERDICT_LABEL[i.verdict]}.</b> ${esc(i.reason)}</p>
${i.findings.length ? `<ul class="findings">${i.findings.map((f) => `<li>${esc(f)}</li>`).join("")}</ul>` : ""}
${i.tables.map(table).join("\n")}
${i.unseen.length ? `<div class="unseen">${i.unseen.map((u) => `Not seen: ${esc(u)}`).join("<br>")}</div>` : ""}
${
  i.evidence.length
    ? `<div class="caption">Evidence: ${i.evidence.length} citation(s)${i.evidence.length > CITATIONS_SHOWN ? `, the last ${CITATIONS_SHOWN} shown` : ""}</div>${cites.map((e) => `<div class="cite">${esc(refText(e))}</div>`).join("")}`
    : ""
}
</section>`;
}

export function reportHtml(r: ComplianceReport): string {
  let n = 0;
  const overview = `<table><thead><tr><th>Control</th><th>Profile</th><th>Verdict</th><th>Why</th></tr></thead><tbody>${r.items
    .map(
      (i, k) =>
        `<tr><td><a href="#item-${k + 1}">${esc(itemHeading(i).replace(/ — .*$/, ""))}</a></td><td class="nw">${esc(i.profile ?? "organization")}</td><td>${badge(i.verdict)}</td><td>${esc(i.reason)}</td></tr>`,
    )
    .join("")}</tbody></table>`;
  const body = sections(r)
    .map(
      (s) => `<h2>${esc(SECTION_TITLE[s.section] ?? s.section)}</h2>\n${s.items.map((i) => item(i, ++n)).join("\n")}`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(reportTitle(r))}</title>
<style>${REPORT_CSS}</style></head>
<body><main>
<section class="overview">
<header><h1>${esc(reportTitle(r))}</h1>
<dl class="facts">
<dt>Period</dt><dd>${esc(periodText(r))}</dd>
<dt>Profiles</dt><dd>${esc(r.profiles.map((p) => p.name).join(", ") || "none")}</dd>
<dt>Generated</dt><dd>${esc(r.generatedAt)} by ${esc(`${r.generatedBy.user}@${r.generatedBy.host}`)}, Lifeboat ${esc(r.lifeboatVersion)}</dd>
<dt>Evidence</dt><dd>${r.evidenceCounts.records} journal records from ${r.evidenceCounts.journals} journal(s), ${r.evidenceCounts.manifests} manifests</dd>
<dt>Targets</dt><dd>${r.profiles.map((p) => `${esc(p.name)}: RTO ${formatDuration(p.rtoMinutes * 60_000)}, RPO ${formatDuration(p.rpoMinutes * 60_000)}`).join("; ")}; restore times also against 30 min (seed) and 72 h (HHS proposed rule)</dd>
</dl></header>
<div class="tally"><div><b>${r.summary.pass}</b>${badge("PASS")}</div><div><b>${r.summary.fail}</b>${badge("FAIL")}</div><div><b>${r.summary.notEvidenced}</b>${badge("NOT_EVIDENCED")}</div></div>
<div class="unseen"><b>What this report could not see:</b> ${
    r.unseen.length
      ? `<ul>${r.unseen.map((u) => `<li>${u.profile ? `${esc(u.profile)}: ` : ""}${esc(u.what)}: ${esc(u.why)}</li>`).join("")}</ul>`
      : "nothing; every store and journal it looked for was read."
  }</div>
<h2>Verdicts</h2>
${overview}
</section>
${body}
<h2>How to verify this report</h2>
<p class="verify">${esc(VERIFY_TEXT)}</p>
</main></body></html>
`;
}
