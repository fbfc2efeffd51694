// Turns an evidence bundle into the report's verdicts: one item per control (per profile, or once for the
// organization), in the catalogue's order. Pure and deterministic: the same bundle, period and moment give the same
// items, which is how `report verify` re-derives every verdict from a report's own JSON.
import {
  REPORT_FORMAT,
  RULES_VERSION,
  type ComplianceItem,
  type ComplianceReport,
  type Unseen,
} from "../../../shared/compliance/compliance-report.ts";
import { controlsOf, type ControlDefinition, type ControlSet } from "../../../shared/compliance/controls.ts";
import type { EvidenceBundle } from "../../../shared/compliance/evidence-bundle.ts";
import { awsDeletionLocked, awsFrequency, awsMinRetention, awsRestoreTime } from "./aws-controls.ts";
import { dailyBackups } from "./daily-backups.ts";
import { drDocumentation } from "./dr-documentation.ts";
import { encryptedStorage } from "./encrypted-storage.ts";
import { EvidenceIndex, type Period } from "./evidence-index.ts";
import { geoRedundancy } from "./geo-redundancy.ts";
import { composed, criticalityAnalysis, emergencyMode } from "./hipaa-specs.ts";
import type { ItemResult } from "./item-result.ts";
import { quarterlyTests } from "./quarterly-tests.ts";
import { retention } from "./retention.ts";
import { teamTraining } from "./team-training.ts";
import { testedRestore } from "./tested-restore.ts";

export interface EvaluateOptions {
  controlSet: ControlSet;
  period: { from: string; to: string };
  /** When the report was made: what "now" is for locks and unfinished quarters. */
  generatedAt: string;
  generatedBy: { user: string; host: string };
  lifeboatVersion: string;
  /** Reached, or not, while gathering: named in the report as what it could not see. */
  unseen: Unseen[];
}

type Rule = (
  ix: EvidenceIndex,
  profile: string,
  ctx: { period: Period; now: number; done: Map<string, ComplianceItem> },
) => ItemResult;

const RULES: Record<string, Rule> = {
  "daily-backups": (ix, p, c) => dailyBackups(ix, p, c.period),
  "tested-restore": (ix, p, c) => testedRestore(ix, p, c.period),
  "encrypted-storage": (ix, p) => encryptedStorage(ix, p),
  "retention-7-years": (ix, p, c) => retention(ix, p, c.now),
  "geographic-redundancy": (ix, p, c) => geoRedundancy(ix, p, c.period),
  "dr-documentation": (ix, _p, c) => drDocumentation(ix, c.period),
  "team-training": (ix, _p, c) => teamTraining(ix, c.period),
  "quarterly-dr-tests": (ix, p, c) => quarterlyTests(ix, p, c.period),
  "164.308(a)(7)(ii)(A)": (_ix, p, c) =>
    composed("Retrievable exact copies", parts(c.done, p, ["daily-backups", "encrypted-storage", "tested-restore"])),
  "164.308(a)(7)(ii)(B)": (_ix, p, c) =>
    composed("Procedures to restore any loss of data", parts(c.done, p, ["dr-documentation", "tested-restore"])),
  "164.308(a)(7)(ii)(C)": (ix, _p, c) => emergencyMode(ix, c.period),
  "164.308(a)(7)(ii)(D)": (_ix, p, c) =>
    composed("Periodic testing and revision", parts(c.done, p, ["quarterly-dr-tests", "dr-documentation"])),
  "164.308(a)(7)(ii)(E)": (ix, p, c) => criticalityAnalysis(ix, p, c.period),
  "aws.frequency": (ix, p, c) => awsFrequency(ix, p, c.period),
  "aws.min-retention": (ix, p, c) => awsMinRetention(ix, p, c.period, c.now),
  "aws.deletion-locked": (ix, p, c) => awsDeletionLocked(ix, p, c.now),
  "aws.encrypted": (ix, p) => encryptedStorage(ix, p),
  "aws.cross-region": (ix, p, c) => geoRedundancy(ix, p, c.period),
  "aws.restore-time": (ix, p, c) => awsRestoreTime(ix, p, c.period),
};

const key = (control: string, profile: string | null) => `${control}\u0000${profile ?? ""}`;

function parts(done: Map<string, ComplianceItem>, profile: string, controls: string[]): { item: ComplianceItem }[] {
  return controls.map((c) => {
    const item = done.get(key(c, profile)) ?? done.get(key(c, null));
    if (!item) throw new Error(`rule order: ${c} is needed before it was evaluated`);
    return { item };
  });
}

function itemOf(def: ControlDefinition, profile: string | null, r: ItemResult): ComplianceItem {
  return {
    control: def.id,
    section: def.section,
    title: def.title,
    requirement: def.requirement,
    profile,
    ...(def.hipaa ? { hipaa: def.hipaa } : {}),
    ...(def.awsControl ? { awsControl: def.awsControl } : {}),
    ...r,
  };
}

export function evaluateReport(bundle: EvidenceBundle, o: EvaluateOptions): ComplianceReport {
  const ix = new EvidenceIndex(bundle);
  const period = { fromMs: Date.parse(o.period.from), toMs: Date.parse(o.period.to) };
  const ctx = { period, now: Date.parse(o.generatedAt), done: new Map<string, ComplianceItem>() };
  const profiles = bundle.targets.map((t) => t.name);
  // The HIPAA specifications are judged from the checklist, so every checklist item is evaluated first.
  const defs = o.controlSet === "hipaa" ? controlsOf("hipaa") : controlsOf("aws-backup");
  const items: ComplianceItem[] = [];
  for (const def of defs) {
    const rule = RULES[def.id];
    if (!rule) throw new Error(`no rule for control ${def.id}`);
    for (const profile of def.scope === "organization" ? [null] : profiles) {
      const item = itemOf(def, profile, rule(ix, profile ?? "", ctx));
      ctx.done.set(key(def.id, profile), item);
      items.push(item);
    }
  }
  const count = (v: string) => items.filter((i) => i.verdict === v).length;
  return {
    format: REPORT_FORMAT,
    rules: RULES_VERSION,
    controlSet: o.controlSet,
    generatedAt: o.generatedAt,
    generatedBy: o.generatedBy,
    lifeboatVersion: o.lifeboatVersion,
    period: o.period,
    profiles: bundle.targets,
    items,
    summary: { pass: count("PASS"), fail: count("FAIL"), notEvidenced: count("NOT_EVIDENCED") },
    unseen: o.unseen,
    evidenceCounts: {
      journals: bundle.journals.length,
      records: bundle.journals.reduce((a, j) => a + j.lines.length, 0),
      manifests: bundle.manifests.length,
    },
  };
}
