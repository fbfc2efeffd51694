// What the human-readable formats (the console, Markdown, HTML, PDF, the CLI) say around the verdicts: titles, labels,
// the citation of a piece of evidence in words. One place, so every format says the same thing.
import { formatTime } from "../format.ts";
import type { ComplianceItem, ComplianceReport, EvidenceRef, Verdict } from "./compliance-report.ts";

export const VERDICT_LABEL: Record<Verdict, string> = { PASS: "PASS", FAIL: "FAIL", NOT_EVIDENCED: "NOT EVIDENCED" };

export const SECTION_TITLE: Record<string, string> = {
  checklist: "The audit's compliance checklist",
  "164.308(a)(7)": "HIPAA §164.308(a)(7): contingency plan, implementation specifications",
  "aws-backup-audit-manager": "AWS Backup Audit Manager controls",
};

export function reportTitle(r: ComplianceReport): string {
  return r.controlSet === "hipaa"
    ? "Compliance report: HIPAA contingency plan (§164.308(a)(7)) and the audit's checklist"
    : "Compliance report: AWS Backup Audit Manager controls";
}

export function itemHeading(i: ComplianceItem): string {
  const id = i.section === "164.308(a)(7)" ? `§${i.control} ` : i.awsControl ? `${i.awsControl}: ` : "";
  return `${id}${i.title}${i.profile ? ` — ${i.profile}` : ""}`;
}

export function refText(e: EvidenceRef): string {
  return e.type === "record"
    ? `journal ${e.journal} record #${e.seq} (${e.kind}, ${formatTime(e.ts)}), hash ${e.hash}`
    : `manifest ${e.key} (${e.store} store), sha256 ${e.sha256}`;
}

/** How many citations a page lists per verdict; the JSON holds every one. */
export const CITATIONS_SHOWN = 12;

export function periodText(r: ComplianceReport): string {
  return `${formatTime(r.period.from)} to ${formatTime(r.period.to)}`;
}

export function summaryText(r: ComplianceReport): string {
  return `${r.summary.pass} PASS · ${r.summary.fail} FAIL · ${r.summary.notEvidenced} NOT EVIDENCED`;
}

export const VERIFY_TEXT =
  "Every verdict cites its evidence: journal records by journal id, sequence number and hash, and manifests by key and sha256. " +
  "The JSON form of this report carries that evidence byte for byte; `lifeboat report verify report.json` checks every hash, every citation and the chain between records, " +
  "and derives every verdict again from the evidence. The README shows how to check it with jq and sha256sum alone.";

export function sections(r: ComplianceReport): { section: string; items: ComplianceItem[] }[] {
  const out: { section: string; items: ComplianceItem[] }[] = [];
  for (const i of r.items) {
    const last = out.at(-1);
    if (last?.section === i.section) last.items.push(i);
    else out.push({ section: i.section, items: [i] });
  }
  return out;
}
