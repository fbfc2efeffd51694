// DR documentation: for every scenario the audit names, the runbooks that answer it, exported as documents
// (`lifeboat runbooks export`, journaled as runbook.export with the document's version and sha256). A runbook
// exported at an older version than the one Lifeboat now runs is documentation out of date.
import { formatTime } from "../../../shared/format.ts";
import { AUDIT_SCENARIOS } from "../../../shared/compliance/controls.ts";
import type { EvidenceIndex, EvRecord, Period } from "./evidence-index.ts";
import { factTable, plural, result, type ItemResult } from "./item-result.ts";

import { RUNBOOK_EXPORT_KIND } from "../../../shared/compliance/evidence-kinds.ts";

export interface RunbookDocStatus {
  scenario: string;
  runbook: string;
  current: string | undefined;
  exported: EvRecord | undefined;
  state: "current" | "outdated" | "missing";
}

export function runbookDocs(ix: EvidenceIndex, period: Period, scenarios = AUDIT_SCENARIOS): RunbookDocStatus[] {
  const latest = new Map<string, EvRecord>();
  for (const r of ix.ended(RUNBOOK_EXPORT_KIND, null))
    if (r.outcome === "ok" && Date.parse(r.ts) <= period.toMs) latest.set(String(r.details.runbook), r);
  return scenarios.flatMap((s) =>
    s.runbooks.map((id) => {
      const current = ix.bundle.runbooks.find((r) => r.id === id)?.version;
      const exported = latest.get(id);
      const state: RunbookDocStatus["state"] = !exported
        ? "missing"
        : String(exported.details.version) === current
          ? "current"
          : "outdated";
      return { scenario: s.scenario, runbook: id, current, exported, state };
    }),
  );
}

export function docsVerdict(docs: RunbookDocStatus[], what: string): ItemResult {
  const tables = [
    factTable(
      "Runbooks for the audit's scenarios",
      ["Scenario", "Runbook", "Current version", "Exported version", "Exported", "By", "Document sha256"],
      docs.map((d) => [
        d.scenario,
        d.runbook,
        d.current ?? "—",
        d.exported ? String(d.exported.details.version) : "never exported",
        d.exported ? formatTime(d.exported.ts) : "—",
        d.exported ? `${d.exported.actor.user}@${d.exported.actor.host}` : "—",
        d.exported ? String(d.exported.details.sha256 ?? "—") : "—",
      ]),
    ),
  ];
  const evidence = docs.flatMap((d) => (d.exported ? [d.exported.ref] : []));
  const outdated = docs.filter((d) => d.state === "outdated");
  const missing = docs.filter((d) => d.state === "missing");
  const findings = [
    ...outdated.map(
      (d) =>
        `${d.runbook} (${d.scenario}) was exported at version ${String(d.exported!.details.version)}; the runbook is now ${d.current}.`,
    ),
    ...missing.map(
      (d) => `${d.runbook} (${d.scenario}) has never been exported as a document (lifeboat runbooks export).`,
    ),
  ];
  if (outdated.length)
    return result(
      "FAIL",
      `${plural(outdated.length, "runbook")} for ${what} ${outdated.length === 1 ? "was" : "were"} exported at an old version.`,
      {
        findings,
        tables,
        evidence,
      },
    );
  if (missing.length)
    return result(
      "NOT_EVIDENCED",
      `${plural(missing.length, "runbook")} for ${what} ${missing.length === 1 ? "has" : "have"} no exported document.`,
      { findings, tables, evidence },
    );
  return result("PASS", `Every runbook for ${what} is exported at its current version.`, {
    findings,
    tables,
    evidence,
  });
}

export function drDocumentation(ix: EvidenceIndex, period: Period): ItemResult {
  return docsVerdict(runbookDocs(ix, period), "the audit's six scenarios");
}
