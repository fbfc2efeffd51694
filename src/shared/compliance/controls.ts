// The controls a compliance report evaluates, as the auditor reads them: the audit's pre-production checklist (seed
// 003, "11. Compliance Checklist"), HIPAA's contingency plan standard §164.308(a)(7) with its implementation
// specifications, and the controls of AWS Backup Audit Manager, for auditors who know those. Data only: the rules that
// turn evidence into a verdict live in src/main/compliance/evaluate.

export const CONTROL_SETS = ["hipaa", "aws-backup"] as const;
export type ControlSet = (typeof CONTROL_SETS)[number];

export interface ControlDefinition {
  id: string;
  /** The section of the report the control belongs to. */
  section: "checklist" | "164.308(a)(7)" | "aws-backup-audit-manager";
  title: string;
  /** What the auditor asks, in the words of the source (the audit, the regulation, AWS's control description). */
  requirement: string;
  /** Evaluated per profile, or once for the organization (runbooks, training). */
  scope: "profile" | "organization";
  /** HIPAA marks each implementation specification Required or Addressable. */
  hipaa?: "Required" | "Addressable";
  /** AWS Backup Audit Manager's control name. */
  awsControl?: string;
}

export const CHECKLIST: readonly ControlDefinition[] = [
  {
    id: "daily-backups",
    section: "checklist",
    title: "Daily automated backups",
    requirement:
      "Committed, scheduled backups every day of the period; every gap longer than the backup cadence is listed.",
    scope: "profile",
  },
  {
    id: "tested-restore",
    section: "checklist",
    title: "Tested restore procedure",
    requirement: "Backups are restored in tests (deep verifies, DR drills) with their results and the time per phase.",
    scope: "profile",
  },
  {
    id: "encrypted-storage",
    section: "checklist",
    title: "Encrypted backup storage",
    requirement: "Every retained backup is encrypted (its recipients named) and no plaintext object is in the store.",
    scope: "profile",
  },
  {
    id: "retention-7-years",
    section: "checklist",
    title: "7-year retention policy",
    requirement:
      "Backups are kept for seven years: the policy recorded with each backup, the oldest retained backup against it, and locks whose retain-until dates hold them.",
    scope: "profile",
  },
  {
    id: "geographic-redundancy",
    section: "checklist",
    title: "Geographic redundancy",
    requirement: "Every backup has a proven copy in another region, and the report says where each copy is.",
    scope: "profile",
  },
  {
    id: "dr-documentation",
    section: "checklist",
    title: "DR documentation",
    requirement:
      "A runbook for every scenario the audit names, exported as a document at its current version (database corruption, data deletion, server failure, region outage, ransomware attack, application error).",
    scope: "organization",
  },
  {
    id: "team-training",
    section: "checklist",
    title: "Team training",
    requirement: "Operators practise the runbooks in the sandbox: each run with its operator, runbook version and RTO.",
    scope: "organization",
  },
  {
    id: "quarterly-dr-tests",
    section: "checklist",
    title: "Quarterly DR tests",
    requirement:
      "A full restore drill in every quarter of the period, passed, with its RTO and RPO against the targets.",
    scope: "profile",
  },
];

export const HIPAA_164_308_A_7: readonly ControlDefinition[] = [
  {
    id: "164.308(a)(7)(ii)(A)",
    section: "164.308(a)(7)",
    title: "Data backup plan",
    requirement:
      "Establish and implement procedures to create and maintain retrievable exact copies of electronic protected health information.",
    scope: "profile",
    hipaa: "Required",
  },
  {
    id: "164.308(a)(7)(ii)(B)",
    section: "164.308(a)(7)",
    title: "Disaster recovery plan",
    requirement: "Establish (and implement as needed) procedures to restore any loss of data.",
    scope: "profile",
    hipaa: "Required",
  },
  {
    id: "164.308(a)(7)(ii)(C)",
    section: "164.308(a)(7)",
    title: "Emergency mode operation plan",
    requirement:
      "Establish (and implement as needed) procedures to enable continuation of critical business processes for protection of the security of electronic protected health information while operating in emergency mode.",
    scope: "organization",
    hipaa: "Required",
  },
  {
    id: "164.308(a)(7)(ii)(D)",
    section: "164.308(a)(7)",
    title: "Testing and revision procedures",
    requirement: "Implement procedures for periodic testing and revision of contingency plans.",
    scope: "profile",
    hipaa: "Addressable",
  },
  {
    id: "164.308(a)(7)(ii)(E)",
    section: "164.308(a)(7)",
    title: "Applications and data criticality analysis",
    requirement:
      "Assess the relative criticality of specific applications and data in support of other contingency plan components.",
    scope: "profile",
    hipaa: "Addressable",
  },
];

export const AWS_BACKUP_CONTROLS: readonly ControlDefinition[] = [
  {
    id: "aws.frequency",
    section: "aws-backup-audit-manager",
    title: "Backup frequency at least every 1 day",
    requirement: "Evaluates if backup frequency is at least 1 day (from the committed backups, not the plan).",
    scope: "profile",
    awsControl: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
  },
  {
    id: "aws.min-retention",
    section: "aws-backup-audit-manager",
    title: "Minimum retention established for recovery point",
    requirement: "Evaluates if the recovery point retention period is at least 35 days.",
    scope: "profile",
    awsControl: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
  },
  {
    id: "aws.deletion-locked",
    section: "aws-backup-audit-manager",
    title: "Vaults prevent manual deletion of recovery points",
    requirement: "Evaluates if recovery points cannot be deleted: each retained backup is held by an Object Lock.",
    scope: "profile",
    awsControl: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED",
  },
  {
    id: "aws.encrypted",
    section: "aws-backup-audit-manager",
    title: "Recovery points are encrypted",
    requirement: "Evaluates if the recovery points are encrypted.",
    scope: "profile",
    awsControl: "BACKUP_RECOVERY_POINT_ENCRYPTED",
  },
  {
    id: "aws.cross-region",
    section: "aws-backup-audit-manager",
    title: "Cross-Region backup copy",
    requirement: "Evaluates if every recovery point is copied to another region.",
    scope: "profile",
    awsControl: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
  },
  {
    id: "aws.restore-time",
    section: "aws-backup-audit-manager",
    title: "Restore time for resources meet target",
    requirement: "Evaluates if the restore time of the latest restore test meets the target.",
    scope: "profile",
    awsControl: "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
  },
];

export function controlsOf(set: ControlSet): readonly ControlDefinition[] {
  return set === "hipaa" ? [...CHECKLIST, ...HIPAA_164_308_A_7] : AWS_BACKUP_CONTROLS;
}

/** Restore time is shown against the seed's 30 minutes and the 72 hours of HHS's proposed HIPAA Security Rule update. */
export const RESTORE_TIME_TARGETS_MINUTES = { seed: 30, hhsProposed: 72 * 60 } as const;

/** The AWS controls' default parameters. */
export const AWS_DEFAULTS = { frequencyDays: 1, minRetentionDays: 35 } as const;

/** Seven years, as the audit's HIPAA row counts them (365 days a year). */
export const SEVEN_YEARS_DAYS = 2555;

/**
 * The six scenarios the audit lists with "no procedure and no test" (seed 003, 2.3), and the runbooks that answer
 * them. A scenario is documented when every runbook named here was exported at its current version.
 */
export const AUDIT_SCENARIOS: readonly { scenario: string; runbooks: readonly string[]; emergency: boolean }[] = [
  {
    scenario: "Database corruption",
    runbooks: ["scenario-1-data-corruption", "scenario-2-database-loss"],
    emergency: true,
  },
  { scenario: "Data deletion", runbooks: ["scenario-1-data-corruption"], emergency: false },
  { scenario: "Server failure", runbooks: ["scenario-4-server-failure"], emergency: true },
  { scenario: "Region outage", runbooks: ["scenario-5-region-outage"], emergency: true },
  { scenario: "Ransomware attack", runbooks: ["scenario-6-ransomware"], emergency: true },
  { scenario: "Application error", runbooks: ["scenario-7-application-error"], emergency: false },
];
