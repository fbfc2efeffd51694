import { postRecoveryChecklist } from "./post-recovery-checklist.ts";
import type { RunbookDefinition } from "./runbook-types.ts";
import { scenario1DataCorruption } from "./scenario-1-data-corruption.ts";
import { scenario2DatabaseLoss } from "./scenario-2-database-loss.ts";
import { scenario3BadMigration } from "./scenario-3-bad-migration.ts";
import { scenario4ServerFailure } from "./scenario-4-server-failure.ts";
import { scenario5RegionOutage } from "./scenario-5-region-outage.ts";
import { scenario6Ransomware } from "./scenario-6-ransomware.ts";
import { scenario7ApplicationError } from "./scenario-7-application-error.ts";
import { weeklyBackupTest } from "./weekly-backup-test.ts";

export const RUNBOOKS: readonly RunbookDefinition[] = [
  scenario1DataCorruption,
  scenario2DatabaseLoss,
  scenario3BadMigration,
  scenario4ServerFailure,
  scenario5RegionOutage,
  scenario6Ransomware,
  scenario7ApplicationError,
  weeklyBackupTest,
  postRecoveryChecklist,
];

export function findRunbook(id: string): RunbookDefinition | undefined {
  return RUNBOOKS.find((r) => r.id === id);
}

/** The seed's escalation path, shown when a profile has none of its own. */
export const SEED_ESCALATION = [
  "Detect issue: monitoring alert fires (DB connectivity loss)",
  "Page on-call: Database Admin (PagerDuty)",
  "Assess severity: Critical = CTO + DevOps on call immediately",
  "Execute recovery: follow the scenario playbook",
  "Verify success: run smoke tests",
  "Communicate: notify users, document the incident",
];
