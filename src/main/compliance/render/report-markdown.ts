// The report as Markdown: for a ticket, a wiki, or a diff between two quarters' reports.
import type { ComplianceReport } from "../../../shared/compliance/compliance-report.ts";
import { formatDuration } from "../../../shared/format.ts";
import { mdCell, mdText } from "../../journal-export/export-format.ts";
import {
  CITATIONS_SHOWN,
  itemHeading,
  periodText,
  refText,
  reportTitle,
  SECTION_TITLE,
  sections,
  summaryText,
  VERDICT_LABEL,
  VERIFY_TEXT,
} from "../../../shared/compliance/report-text.ts";

function table(columns: string[], rows: string[][]): string[] {
  return [
    `| ${columns.map(mdCell).join(" | ")} |`,
    `|${columns.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ];
}

export function reportMarkdown(r: ComplianceReport): string {
  const out: string[] = [
    `# ${reportTitle(r)}`,
    "",
    `- Period: ${periodText(r)}`,
    `- Profiles: ${r.profiles.map((p) => p.name).join(", ") || "none"}`,
    `- Generated ${r.generatedAt} by ${mdText(`${r.generatedBy.user}@${r.generatedBy.host}`)} with Lifeboat ${r.lifeboatVersion} (${r.rules})`,
    `- Verdicts: **${summaryText(r)}**`,
    `- Evidence: ${r.evidenceCounts.records} journal records from ${r.evidenceCounts.journals} journal(s), ${r.evidenceCounts.manifests} manifests`,
    "",
    "## What this report could not see",
    "",
    ...(r.unseen.length
      ? r.unseen.map((u) => `- ${u.profile ? `${mdText(u.profile)}: ` : ""}${mdText(u.what)}: ${mdText(u.why)}`)
      : ["Nothing: every store and journal it looked for was read."]),
    "",
    "## Verdicts",
    "",
    ...table(
      ["Control", "Profile", "Verdict", "Why"],
      r.items.map((i) => [
        itemHeading(i).replace(/ — .*$/, ""),
        i.profile ?? "(organization)",
        VERDICT_LABEL[i.verdict],
        i.reason,
      ]),
    ),
    "",
    "## Targets",
    "",
    ...table(
      ["Profile", "RTO target", "RPO target", "Backup cadence", "Gap tolerance"],
      r.profiles.map((p) => [
        p.name,
        formatDuration(p.rtoMinutes * 60_000),
        formatDuration(p.rpoMinutes * 60_000),
        formatDuration(p.cadenceMs),
        `${p.toleranceCadences} × cadence`,
      ]),
    ),
    "",
    "Restore times are also shown against the seed's 30 minutes and the 72 hours of HHS's proposed HIPAA Security Rule update.",
    "",
  ];
  for (const s of sections(r)) {
    out.push(`## ${SECTION_TITLE[s.section] ?? s.section}`, "");
    for (const i of s.items) {
      out.push(`### ${mdText(itemHeading(i))}: ${VERDICT_LABEL[i.verdict]}`, "");
      out.push(`> ${mdText(i.requirement)}${i.hipaa ? ` (${i.hipaa})` : ""}`, "");
      out.push(`**${VERDICT_LABEL[i.verdict]}.** ${mdText(i.reason)}`, "");
      if (i.findings.length) out.push(...i.findings.map((f) => `- ${mdText(f)}`), "");
      for (const t of i.tables) {
        if (!t.rows.length) continue;
        out.push(
          `**${mdText(t.title)}**${t.total > t.rows.length ? ` (the last ${t.rows.length} of ${t.total})` : ""}`,
          "",
        );
        out.push(...table(t.columns, t.rows), "");
      }
      if (i.unseen.length) out.push(...i.unseen.map((u) => `- Not seen: ${mdText(u)}`), "");
      if (i.evidence.length) {
        out.push(
          `Evidence (${i.evidence.length}${i.evidence.length > CITATIONS_SHOWN ? `, the last ${CITATIONS_SHOWN} shown; all are in the JSON` : ""}):`,
          "",
        );
        out.push(...i.evidence.slice(-CITATIONS_SHOWN).map((e) => `- \`${refText(e)}\``), "");
      }
    }
  }
  out.push("## How to verify this report", "", mdText(VERIFY_TEXT), "");
  return out.join("\n");
}
