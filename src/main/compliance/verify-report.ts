// Verifies a compliance report's JSON on its own, with nothing but the file: every cited journal record against its
// hash and the chain between consecutive records of the same journal, every manifest against the sha256 the report
// cites, the digests, every verdict's citations, each backup's manifest against the journal record that made it, and
// finally every verdict re-derived from the evidence by the same rules. Any edit to the evidence, or to a verdict,
// fails it.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  ComplianceReport,
  REPORT_FORMAT,
  RULES_VERSION,
  type ComplianceItem,
} from "../../shared/compliance/compliance-report.ts";
import { EvidenceBundle } from "../../shared/compliance/evidence-bundle.ts";
import { BackupManifest } from "../../shared/manifest.ts";
import { checkLine, hashOfLine } from "../journal/canonical.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { evaluateReport } from "./evaluate/evaluate-report.ts";
import { manifestsDigest, recordsDigest, type Digest } from "./render/report-json.ts";

export interface ReportProblem {
  kind:
    | "unparseable"
    | "edited"
    | "chain-broken"
    | "reordered"
    | "manifest-altered"
    | "manifest-mismatch"
    | "digest-mismatch"
    | "dangling-citation"
    | "verdict-mismatch"
    | "other-rules";
  message: string;
}

export interface ReportVerifyResult {
  ok: boolean;
  file: string;
  journals: number;
  records: number;
  manifests: number;
  items: number;
  /** Whether the verdicts were re-derived (only by the rules version that made them). */
  rederived: boolean;
  summary?: ComplianceReport["summary"];
  period?: ComplianceReport["period"];
  problems: ReportProblem[];
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export async function verifyReportFile(file: string): Promise<ReportVerifyResult> {
  return verifyReportText(await readFile(file, "utf8"), file);
}

export function verifyReportText(text: string, file = "<report>"): ReportVerifyResult {
  const empty = { ok: false, file, journals: 0, records: 0, manifests: 0, items: 0, rederived: false };
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {
      ...empty,
      problems: [{ kind: "unparseable", message: "The report is not complete JSON: it was cut short or damaged." }],
    };
  }
  if (doc?.format !== REPORT_FORMAT)
    return {
      ...empty,
      problems: [{ kind: "unparseable", message: `This is not a Lifeboat compliance report (${REPORT_FORMAT}).` }],
    };
  const report = ComplianceReport.safeParse(doc);
  const bundle = EvidenceBundle.safeParse(doc.evidence);
  if (!report.success || !bundle.success)
    return {
      ...empty,
      problems: [
        {
          kind: "unparseable",
          message: `The report's ${!report.success ? "verdicts" : "evidence"} are not in the report format: ${(report.error ??
            bundle.error)!.issues
            .slice(0, 3)
            .map((i) => `${i.path.join(".")}: ${i.message}`)
            .join("; ")}.`,
        },
      ],
    };
  const r = report.data;
  const b = bundle.data;
  const problems: ReportProblem[] = [];
  const records = new Map<string, JournalRecord>();

  for (const j of b.journals) {
    let prev: JournalRecord | undefined;
    for (const line of j.lines) {
      const c = checkLine(line);
      if (!c.ok) {
        problems.push({
          kind: c.reason === "unparseable" ? "unparseable" : "edited",
          message: `Journal ${j.journalId}${c.record ? ` record #${c.record.seq}` : ""}: ${c.message}.`,
        });
        if (!c.record) continue;
      }
      const rec = c.ok ? c.record : c.record!;
      if (rec.seq === 1 && hashOfLine(line).slice(0, 16) !== j.journalId)
        problems.push({
          kind: "edited",
          message: `Journal ${j.journalId}: its record #1 is not the one the journal is named by.`,
        });
      if (prev && rec.seq <= prev.seq)
        problems.push({
          kind: "reordered",
          message: `Journal ${j.journalId}: record #${rec.seq} comes after #${prev.seq}.`,
        });
      else if (prev && rec.seq === prev.seq + 1 && rec.prev !== prev.hash)
        problems.push({
          kind: "chain-broken",
          message: `Journal ${j.journalId}: record #${rec.seq} does not link to record #${prev.seq}: one of them was replaced.`,
        });
      if (j.tip && rec.seq === j.tip.seq && rec.hash !== j.tip.hash)
        problems.push({
          kind: "edited",
          message: `Journal ${j.journalId}: record #${rec.seq} is not the journal's head the report names.`,
        });
      records.set(`${j.journalId}:${rec.seq}`, rec);
      prev = rec;
    }
  }

  const manifests = new Map<string, string>();
  const objectSha = new Map<string, string>();
  for (const m of b.manifests) {
    if (sha256(m.text) !== m.sha256) {
      problems.push({
        kind: "manifest-altered",
        message: `Manifest ${m.key} (${m.store}) does not match its sha256: it was altered.`,
      });
      continue;
    }
    manifests.set(`${m.profile}:${m.store}:${m.key}`, m.sha256);
    try {
      const parsed = BackupManifest.safeParse(JSON.parse(m.text));
      if (parsed.success) objectSha.set(`${m.profile}:${parsed.data.id}`, parsed.data.object.sha256);
    } catch {
      // A manifest that is not JSON was judged unreadable by the rules; its sha256 still matched.
    }
  }
  for (const rec of records.values()) {
    if (rec.kind !== "backup.run" || rec.outcome !== "ok") continue;
    const d = rec.details as { id?: string; sha256?: string };
    const inManifest = d.id ? objectSha.get(`${rec.profile}:${d.id}`) : undefined;
    if (inManifest && d.sha256 && inManifest !== d.sha256)
      problems.push({
        kind: "manifest-mismatch",
        message: `Backup ${d.id}: its manifest names archive sha256 ${inManifest.slice(0, 16)}…, but journal record #${rec.seq} recorded ${d.sha256.slice(0, 16)}… when it was made.`,
      });
  }

  const digest = doc.digest as { records?: Partial<Digest>; manifests?: Partial<Digest> } | undefined;
  if (digest?.records?.value !== recordsDigest(b).value)
    problems.push({
      kind: "digest-mismatch",
      message: "The records' digest does not match them: records were added, removed or replaced.",
    });
  if (digest?.manifests?.value !== manifestsDigest(b).value)
    problems.push({
      kind: "digest-mismatch",
      message: "The manifests' digest does not match them: manifests were added, removed or replaced.",
    });

  for (const item of r.items)
    for (const e of item.evidence) {
      const where = `${item.title}${item.profile ? ` (${item.profile})` : ""}`;
      if (e.type === "record") {
        const rec = records.get(`${e.journal}:${e.seq}`);
        if (!rec || rec.hash !== e.hash)
          problems.push({
            kind: "dangling-citation",
            message: `${where} cites journal ${e.journal} record #${e.seq} (${e.hash.slice(0, 16)}…), which the evidence ${rec ? "holds with another hash" : "does not hold"}.`,
          });
      } else if (manifests.get(`${e.profile}:${e.store}:${e.key}`) !== e.sha256) {
        problems.push({
          kind: "dangling-citation",
          message: `${where} cites manifest ${e.key} (${e.sha256.slice(0, 16)}…), which the evidence does not hold with that sha256.`,
        });
      }
    }

  const rederived = r.rules === RULES_VERSION;
  // Verdicts that cannot be derived again are not vouched for: an edited "rules" must not let edited verdicts pass.
  if (!rederived)
    problems.push({
      kind: "other-rules",
      message: `The verdicts were made by ${r.rules} (Lifeboat ${r.lifeboatVersion}); this Lifeboat derives them by ${RULES_VERSION} only. Verify it with Lifeboat ${r.lifeboatVersion}; its evidence was checked here.`,
    });
  else {
    const again = evaluateReport(b, {
      controlSet: r.controlSet,
      period: r.period,
      generatedAt: r.generatedAt,
      generatedBy: r.generatedBy,
      lifeboatVersion: r.lifeboatVersion,
      unseen: r.unseen,
    });
    const key = (i: ComplianceItem) => `${i.control}\u0000${i.profile ?? ""}`;
    const fresh = new Map(again.items.map((i) => [key(i), i]));
    for (const item of r.items) {
      const other = fresh.get(key(item));
      if (!other || JSON.stringify(other) !== JSON.stringify(item))
        problems.push({
          kind: "verdict-mismatch",
          message: `${item.title}${item.profile ? ` (${item.profile})` : ""}: the report says ${item.verdict}${other && other.verdict !== item.verdict ? `, the evidence gives ${other.verdict}` : other ? " but its findings, tables or citations differ from what the evidence gives" : ", but the rules give no such item"}.`,
        });
      fresh.delete(key(item));
    }
    for (const missing of fresh.values())
      problems.push({
        kind: "verdict-mismatch",
        message: `${missing.title}${missing.profile ? ` (${missing.profile})` : ""} is missing from the report (the evidence gives ${missing.verdict}).`,
      });
    if (JSON.stringify(again.summary) !== JSON.stringify(r.summary))
      problems.push({ kind: "verdict-mismatch", message: "The summary does not count the verdicts the report holds." });
  }

  return {
    ok: problems.length === 0,
    file,
    journals: b.journals.length,
    records: records.size,
    manifests: b.manifests.length,
    items: r.items.length,
    rederived,
    summary: r.summary,
    period: r.period,
    problems,
  };
}
