// Seed Scenario 2: complete database loss (Neon outage, account compromise, catastrophic failure). Confirm the
// outage, call Neon, restore from Neon's latest point or, when Neon itself is gone, from the latest off-site backup,
// verify, reconnect the application and tell the users.
import type { RunbookDefinition } from "./runbook-types.ts";
import {
  checkDatabaseStep,
  contactNeonStep,
  notifyUsersStep,
  postRecoveryStep,
  reconnectStep,
  serviceRestoredStep,
} from "./shared-steps.ts";

const viaNeon = { path: "inputs.decide-route.route", equals: "neon" } as const;
const viaBackup = { path: "inputs.decide-route.route", equals: "backup" } as const;

export const scenario2DatabaseLoss: RunbookDefinition = {
  id: "scenario-2-database-loss",
  version: "1.0",
  title: "Scenario 2: Complete database loss",
  summary: "The database is gone or unreachable. Confirm, escalate, restore from Neon or from the off-site backup.",
  scenario: "database-loss",
  defaultSeverity: "SEV1",
  expectedMinutes: [20, 45],
  detection: [
    "All API requests return 500 errors",
    "Database connections fail completely",
    "The Neon console shows the database unavailable",
  ],
  steps: [
    checkDatabaseStep,
    {
      id: "confirm-outage",
      kind: "record",
      title: "Confirm the Neon outage",
      guidance: "Check Neon's status page (https://neonstatus.com) and record what it says.",
      reference: "https://neonstatus.com",
      fields: [
        { name: "status", label: "What the status page says", type: "text", required: true },
        { name: "outage", label: "Neon reports an outage", type: "checkbox" },
      ],
      submitLabel: "Record outage status",
    },
    contactNeonStep,
    {
      id: "decide-route",
      kind: "record",
      title: "Choose how to restore",
      guidance:
        "Neon's latest point loses 0-5 minutes. If Neon itself cannot serve you, restore the latest off-site backup into a new database.",
      fields: [
        {
          name: "route",
          label: "Restore from",
          type: "choice",
          required: true,
          default: "neon",
          options: [
            { value: "neon", label: "Neon: a branch at the latest available point" },
            { value: "backup", label: "Off-site backup: the latest one, into a new database" },
          ],
        },
        {
          name: "point",
          label: 'Neon point in time (UTC, or relative like "10 seconds ago")',
          type: "text",
          default: "10 seconds ago",
        },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Restore route: {{inputs.decide-route.route}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the decision",
    },
    {
      id: "neon-branch",
      kind: "action",
      when: viaNeon,
      title: "Create a branch at the latest point",
      guidance:
        "A recovery branch at the point chosen above (the latest Neon still has). Point the application at it once verified.",
      reference: 'neon branches create --name "recovery-latest"',
      channel: "neon.recoverTo",
      payload: { profile: "{{profile.name}}", point: { at: "{{inputs.decide-route.point}}" } },
      progress: true,
      actionLabel: "Create recovery branch",
      show: {
        kind: "fields",
        fields: [
          { label: "Branch", path: "branch.name", format: "code" },
          { label: "Point in time", path: "pointInTime", format: "datetime" },
          { label: "Host", path: "host", format: "code" },
          { label: "Took", path: "durationMs", format: "duration-ms" },
        ],
      },
    },
    {
      id: "backup-restore",
      kind: "action",
      when: viaBackup,
      title: "Restore the latest backup into a new database",
      guidance:
        "Restores the newest committed backup and proves it: every table's row count must equal the manifest's.",
      reference: "aws s3 cp s3://bucket/…/dump.zst.age - | age -d -i key.txt | zstd -d | pg_restore -d restored",
      channel: "restore.run",
      payload: { profile: "{{profile.name}}", id: "latest", database: "restored_{{now | ustamp}}" },
      progress: true,
      actionLabel: "Restore latest backup",
      show: { kind: "counts", path: "tables" },
      expect: [{ path: "tables", op: "truthy", failure: "The restore reported no tables." }],
    },
    {
      id: "verify-integrity",
      kind: "record",
      title: "Verify data integrity",
      guidance: "Check record counts of the key tables and the latest record time on the restored database.",
      reference:
        "SELECT 'ClinicalNote', COUNT(*) FROM \"ClinicalNote\" UNION ALL SELECT 'Patient', COUNT(*) FROM \"Patient\"\n" +
        "UNION ALL SELECT 'User', COUNT(*) FROM \"User\" UNION ALL SELECT 'Prescription', COUNT(*) FROM \"Prescription\";\n" +
        'SELECT MAX("createdAt") AS latest_record FROM "ClinicalNote";',
      fields: [
        { name: "latest", label: "Latest record time (UTC)", type: "timestamp" },
        { name: "counts", label: "Counts look right", type: "checkbox", required: true },
      ],
      submitLabel: "Record verification",
    },
    reconnectStep,
    serviceRestoredStep(),
    notifyUsersStep,
    postRecoveryStep,
  ],
};
