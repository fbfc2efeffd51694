// A compliance report, start to end: the period, the evidence gathered (journals, stores, practice journals), and the
// verdicts derived from it. Nothing is judged from configuration alone: the profiles supply only the yardsticks
// (cadence, targets) and where to look.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ComplianceReport } from "../../shared/compliance/compliance-report.ts";
import type { ControlSet } from "../../shared/compliance/controls.ts";
import type { EvidenceBundle } from "../../shared/compliance/evidence-bundle.ts";
import type { Profile, ReplicaConfig } from "../../shared/config.ts";
import { IndexedJournalReader, type JournalReader } from "../journal/journal-reader.ts";
import { defaultActor } from "../journal/journal-writer.ts";
import type { Actor } from "../../shared/api/journal-schemas.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { LIFEBOAT_VERSION } from "../version.ts";
import { evaluateReport } from "./evaluate/evaluate-report.ts";
import { gatherBundle } from "./gather/gather-bundle.ts";
import { reportPeriod } from "./period.ts";

export interface ReportRequest {
  controlSet: ControlSet;
  from?: string | undefined;
  to?: string | undefined;
  rtoMinutes?: number | undefined;
  rpoMinutes?: number | undefined;
}

export interface ReportSources {
  profiles: Profile[];
  store: (p: Profile) => Promise<BackupStore>;
  /** Each replica's store (geographic redundancy); without it replicas are named as unseen. */
  replicaStore?: (p: Profile, r: ReplicaConfig) => Promise<BackupStore>;
  journal: JournalReader;
  /** Journal folders of practice worlds (team training); those that hold no journal are named as unseen. */
  practiceDirs: string[];
  now: Date;
  timeoutMs: number;
  actor?: Actor;
}

/** A journal folder holds a journal when it has a head file or a segment. */
function openPractice(dir: string): JournalReader | undefined {
  return existsSync(join(dir, "head.json")) ? new IndexedJournalReader(dir) : undefined;
}

export async function buildComplianceReport(
  req: ReportRequest,
  src: ReportSources,
): Promise<{ report: ComplianceReport; bundle: EvidenceBundle }> {
  const period = reportPeriod(req, src.now);
  const { bundle, unseen } = await gatherBundle({
    profiles: src.profiles,
    period,
    now: src.now,
    store: src.store,
    replicaStore: src.replicaStore,
    journal: src.journal,
    practice: src.practiceDirs.map((dir) => ({ dir, reader: openPractice(dir) })),
    timeoutMs: src.timeoutMs,
    targets: { rtoMinutes: req.rtoMinutes, rpoMinutes: req.rpoMinutes },
  });
  const report = evaluateReport(bundle, {
    controlSet: req.controlSet,
    period,
    generatedAt: src.now.toISOString(),
    generatedBy: src.actor ?? defaultActor(),
    lifeboatVersion: LIFEBOAT_VERSION,
    unseen,
  });
  return { report, bundle };
}
