// HIPAA §164.308(a)(7)'s implementation specifications, each judged from the checklist verdicts that carry its
// evidence (the worst of them decides), or, where Lifeboat records nothing of the kind, from an operator's attestation
// (compliance.attest: the analysis document's sha256, journaled).
import { formatTime } from "../../../shared/format.ts";
import { AUDIT_SCENARIOS } from "../../../shared/compliance/controls.ts";
import type { ComplianceItem } from "../../../shared/compliance/compliance-report.ts";
import { docsVerdict, runbookDocs } from "./dr-documentation.ts";
import type { EvidenceIndex, Period } from "./evidence-index.ts";
import { factTable, result, worst, type ItemResult } from "./item-result.ts";
import { trainingRuns } from "./team-training.ts";

import { ATTEST_KIND } from "../../../shared/compliance/evidence-kinds.ts";

/** The spec's verdict from its parts: each part named with its own verdict, the worst deciding. */
export function composed(
  what: string,
  parts: { item: Pick<ComplianceItem, "title" | "verdict" | "reason" | "evidence"> }[],
): ItemResult {
  const verdict = worst(parts.map((p) => p.item.verdict));
  const tables = [
    factTable(
      "Judged from",
      ["Control", "Verdict", "Why"],
      parts.map((p) => [p.item.title, p.item.verdict.replace("_", " "), p.item.reason]),
    ),
  ];
  // The newest few refs of each part: the full lists sit under the parts themselves.
  const evidence = parts.flatMap((p) => p.item.evidence.slice(-3));
  const weak = parts
    .filter((p) => p.item.verdict !== "PASS")
    .map((p) => `${p.item.title}: ${p.item.verdict.replace("_", " ")}`);
  return result(verdict, verdict === "PASS" ? `${what}: every part is evidenced.` : `${what}: ${weak.join("; ")}.`, {
    tables,
    evidence,
  });
}

/** §164.308(a)(7)(ii)(C): the emergency scenarios' runbooks documented, and practised at least once in the period. */
export function emergencyMode(ix: EvidenceIndex, period: Period): ItemResult {
  const emergency = AUDIT_SCENARIOS.filter((s) => s.emergency);
  const docs = docsVerdict(runbookDocs(ix, period, emergency), "the emergency scenarios");
  const ids = new Set(emergency.flatMap((s) => s.runbooks));
  const practised = trainingRuns(ix, period).filter((r) => ids.has(r.runbook) && r.completed);
  const practice = practised.length
    ? result("PASS", `${practised.length} completed practice run(s) of an emergency runbook.`, {
        evidence: practised.map((r) => r.record.ref),
      })
    : result("NOT_EVIDENCED", "No emergency runbook was practised to the end in the sandbox in the period.");
  const r = composed("Emergency mode operation", [
    { item: { title: "Emergency runbooks documented", ...docs } },
    { item: { title: "Emergency runbooks practised", ...practice } },
  ]);
  return { ...r, tables: [...r.tables, ...docs.tables], evidence: [...docs.evidence, ...practice.evidence] };
}

/** §164.308(a)(7)(ii)(E): Lifeboat holds no criticality analysis of its own; an attested one is evidence. */
export function criticalityAnalysis(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const spec = "164.308(a)(7)(ii)(E)";
  const attested = ix
    .ended(ATTEST_KIND)
    .filter(
      (r) =>
        r.details.control === spec &&
        (r.profile === undefined || r.profile === profile) &&
        Date.parse(r.ts) >= period.fromMs &&
        Date.parse(r.ts) <= period.toMs,
    );
  const newest = ix.backups(profile).at(-1);
  const tables = [
    factTable(
      "The data, from the newest backup's exact counts",
      ["Table", "Rows"],
      (newest?.m.tables ?? []).map((t) => [`${t.schema}.${t.table}`, String(t.rows)]),
    ),
    factTable(
      "Attested analyses",
      ["When", "By", "Statement", "Document", "sha256"],
      attested.map((r) => [
        formatTime(r.ts),
        `${r.actor.user}@${r.actor.host}`,
        String(r.details.statement ?? ""),
        String(r.details.document ?? "—"),
        String(r.details.sha256 ?? "—"),
      ]),
    ),
  ];
  const evidence = [...attested.map((r) => r.ref), ...(newest ? [newest.ref] : [])];
  if (!attested.length)
    return result(
      "NOT_EVIDENCED",
      "Lifeboat records no criticality analysis; record one with `lifeboat report attest` (the tables below are what the backups hold).",
      { tables, evidence },
    );
  return result(
    "PASS",
    `An analysis was attested on ${formatTime(attested.at(-1)!.ts)} by ${attested.at(-1)!.actor.user}.`,
    {
      tables,
      evidence,
    },
  );
}
