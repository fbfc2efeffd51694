// A runbook as a document someone can follow without Lifeboat: every step with what to understand, what Lifeboat
// does (the channel it calls), the checks a step must pass, what the operator records, and the manual equivalent.
// The bytes depend only on the runbook (no export time inside), so one version always gives one sha256.
import type { RunbookDefinition, RunbookStep } from "../../shared/runbooks/runbook-types.ts";
import { escapeHtml as esc } from "../journal-export/export-format.ts";

export type DocFormat = "md" | "html";

interface Part {
  heading: string;
  lines: { label: string; text: string; code?: boolean }[];
  list?: { label: string; items: readonly string[] };
}

function conditionText(step: RunbookStep): string | undefined {
  const w = step.when;
  if (!w) return undefined;
  const what = w.path.replace(/^inputs\.([^.]+)\./, "").replace(/^results\./, "");
  if ("equals" in w) return `Only when ${what} is "${String(w.equals)}".`;
  if ("notEquals" in w) return `Only when ${what} is not "${String(w.notEquals)}".`;
  return `Only when ${what} is set.`;
}

function partOf(step: RunbookStep, n: number): Part {
  const lines: Part["lines"] = [{ label: "What and why", text: step.guidance }];
  const cond = conditionText(step);
  if (cond) lines.push({ label: "When", text: cond });
  if (step.optional) lines.push({ label: "Optional", text: "may be skipped with a reason (journaled)" });
  let list: Part["list"];
  if (step.kind === "action") {
    lines.push({ label: "Lifeboat does", text: `${step.actionLabel} (channel ${step.channel})` });
    if (step.destructive)
      lines.push({
        label: "Confirmation",
        text: `${step.destructive.warning} The operator types the name to confirm.`,
      });
    if (step.expect?.length) list = { label: "Checks", items: step.expect.map((e) => e.failure) };
  } else if (step.kind === "record") {
    list = {
      label: "Record",
      items: step.fields.map((f) => `${f.label}${"required" in f && f.required ? " (required)" : ""}`),
    };
  } else {
    list = { label: "Checklist", items: step.items.map((i) => i.text) };
  }
  if (step.reference) lines.push({ label: "Manual equivalent", text: step.reference, code: true });
  return { heading: `${n}. ${step.title}`, lines, ...(list ? { list } : {}) };
}

function header(r: RunbookDefinition): { label: string; text: string }[] {
  return [
    { label: "Runbook", text: r.id },
    { label: "Version", text: r.version },
    { label: "Scenario", text: r.scenario },
    { label: "Default severity", text: r.defaultSeverity },
    { label: "Expected time to recover", text: `${r.expectedMinutes[0]}-${r.expectedMinutes[1]} minutes` },
  ];
}

export function runbookMarkdown(r: RunbookDefinition): string {
  const out = [
    `# ${r.title}`,
    "",
    r.summary,
    "",
    ...header(r).map((h) => `- ${h.label}: ${h.text}`),
    "",
    "## Detection",
    "",
  ];
  out.push(...r.detection.map((d) => `- ${d}`), "", "## Steps", "");
  r.steps.forEach((s, i) => {
    const p = partOf(s, i + 1);
    out.push(`### ${p.heading}`, "");
    for (const l of p.lines) {
      if (l.code) out.push(`${l.label}:`, "", "```", l.text, "```", "");
      else out.push(`**${l.label}:** ${l.text}`, "");
    }
    if (p.list) out.push(`${p.list.label}:`, "", ...p.list.items.map((x) => `- [ ] ${x}`), "");
  });
  out.push(
    "Every step is journaled when it is run in Lifeboat (`lifeboat journal list --incident <id>`); this document is the same procedure on paper.",
    "",
  );
  return out.join("\n");
}

export function runbookHtml(r: RunbookDefinition): string {
  const steps = r.steps
    .map((s, i) => {
      const p = partOf(s, i + 1);
      return `<section><h2>${esc(p.heading)}</h2>${p.lines
        .map((l) =>
          l.code
            ? `<p><b>${esc(l.label)}:</b></p><pre>${esc(l.text)}</pre>`
            : `<p><b>${esc(l.label)}:</b> ${esc(l.text)}</p>`,
        )
        .join(
          "",
        )}${p.list ? `<p><b>${esc(p.list.label)}:</b></p><ul>${p.list.items.map((x) => `<li>☐ ${esc(x)}</li>`).join("")}</ul>` : ""}</section>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)} (version ${esc(r.version)})</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:900px;margin:24px auto;padding:0 20px;color:#1f2933}h1{margin-bottom:4px}h2{font-size:16px;border-bottom:1px solid #d9dee4;margin-top:22px}pre{background:#f6f8fa;padding:8px;white-space:pre-wrap;border-radius:4px}ul{list-style:none;padding-left:6px}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{color:#5f6b7a}dd{margin:0}@media print{@page{size:A4;margin:14mm}section{break-inside:avoid}}</style>
</head><body>
<h1>${esc(r.title)}</h1><p>${esc(r.summary)}</p>
<dl>${header(r)
    .map((h) => `<dt>${esc(h.label)}</dt><dd>${esc(h.text)}</dd>`)
    .join("")}</dl>
<h2>Detection</h2><ul>${r.detection.map((d) => `<li>${esc(d)}</li>`).join("")}</ul>
${steps}
<p>Every step is journaled when it is run in Lifeboat; this document is the same procedure on paper.</p>
</body></html>
`;
}

export function runbookDocument(r: RunbookDefinition, format: DocFormat): string {
  return format === "md" ? runbookMarkdown(r) : runbookHtml(r);
}
