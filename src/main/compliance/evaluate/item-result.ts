// What every rule returns, and the few helpers the rules share: the worst of several verdicts and tables cut to what a
// page can hold. Times, days, durations and sizes are written by src/shared/format.ts, as everywhere else.
import type { ComplianceItem, EvidenceRef, FactTable, Verdict } from "../../../shared/compliance/compliance-report.ts";

export type ItemResult = Pick<ComplianceItem, "verdict" | "reason" | "findings" | "tables" | "evidence" | "unseen">;

/** Rows a table keeps in the report; the evidence in the JSON holds everything. */
export const TABLE_ROWS = 200;

export function factTable(title: string, columns: string[], rows: string[][], limit = TABLE_ROWS): FactTable {
  return { title, columns, rows: rows.length > limit ? rows.slice(rows.length - limit) : rows, total: rows.length };
}

/** FAIL beats NOT EVIDENCED beats PASS: one failure fails the control; a gap in evidence leaves it unproven. */
export function worst(verdicts: Verdict[]): Verdict {
  if (verdicts.includes("FAIL")) return "FAIL";
  if (verdicts.includes("NOT_EVIDENCED")) return "NOT_EVIDENCED";
  return "PASS";
}

export function result(
  verdict: Verdict,
  reason: string,
  parts: Partial<Omit<ItemResult, "verdict" | "reason">> = {},
): ItemResult {
  return {
    verdict,
    reason,
    findings: parts.findings ?? [],
    tables: parts.tables ?? [],
    evidence: dedupe(parts.evidence ?? []),
    unseen: parts.unseen ?? [],
  };
}

function dedupe(refs: EvidenceRef[]): EvidenceRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = r.type === "record" ? `r:${r.journal}:${r.seq}` : `m:${r.profile}:${r.store}:${r.id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The time a backup id was made (20261123T174658Z-3f9a), or NaN. */
export function idTimeMs(id: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(id);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

export const DAY_MS = 86_400_000;

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
