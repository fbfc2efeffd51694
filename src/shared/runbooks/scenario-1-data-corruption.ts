// Seed Scenario 1: data corruption (a bulk delete or a bad update). Find when it happened, branch at the last good
// second, compare, copy the missing rows back into production, prove the counts, and close out.
import { POST_RECOVERY_ITEMS } from "./post-recovery-checklist.ts";
import type { RunbookDefinition } from "./runbook-types.ts";

const fromBranch = { kind: "neon-branch", branch: "{{results.recovery-branch.branch.id}}" };

export const scenario1DataCorruption: RunbookDefinition = {
  id: "scenario-1-data-corruption",
  title: "Scenario 1: Data corruption",
  summary: "Rows were deleted or overwritten by mistake. Recover them from a branch at the last good second.",
  scenario: "data-corruption",
  defaultSeverity: "SEV1",
  expectedMinutes: [15, 30],
  detection: [
    "A user reports missing data",
    "The audit log shows an unexpected DELETE or UPDATE",
    "Metrics show a sudden drop in record counts",
  ],
  steps: [
    {
      id: "audit",
      kind: "action",
      title: "Identify the corruption time",
      guidance:
        "Lifeboat reads the audit log for bursts of DELETE and UPDATE per table and suggests the last good second.",
      reference:
        'SELECT action, "tableName", "recordId", timestamp FROM "AuditLog"\nWHERE action = \'DELETE\' ORDER BY timestamp DESC LIMIT 100;',
      channel: "forensics.audit",
      payload: { profile: "{{profile.name}}" },
      actionLabel: "Search the audit log",
      show: {
        kind: "table",
        path: "bursts",
        empty: "No bursts of DELETE or UPDATE found in the audit log.",
        columns: [
          { label: "Table", path: "table" },
          { label: "Action", path: "action" },
          { label: "From", path: "bucketStart", format: "datetime" },
          { label: "Rows", path: "count", format: "number" },
        ],
      },
      expect: [
        {
          path: "suggestedRecoveryPoint",
          op: "truthy",
          failure:
            "No recovery point could be suggested: pick one from the audit log by hand (skip this step and enter it next).",
        },
      ],
    },
    {
      id: "recovery-point",
      kind: "record",
      title: "Determine the recovery point",
      guidance:
        "Data was correct until just before the first bad change. Confirm the last good second and the table to recover; this is recorded as a decision and sets the incident's RPO.",
      reference: "Example: correct at 14:30:00, corruption at 14:35:00 UTC, recovery point 14:29:59 UTC.",
      fields: [
        {
          name: "at",
          label: "Recovery point (UTC)",
          type: "timestamp",
          required: true,
          default: "{{results.audit.suggestedRecoveryPoint}}",
        },
        {
          name: "table",
          label: "Table to recover",
          type: "text",
          required: true,
          default: "{{results.audit.bursts.0.table}}",
        },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Recovery point {{inputs.recovery-point.at}} for table {{inputs.recovery-point.table}}",
          recoveryPoint: "{{inputs.recovery-point.at}}",
          corruptionTime: "{{results.audit.firstBadAt}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the recovery point",
    },
    {
      id: "recovery-branch",
      kind: "action",
      title: "Create the recovery branch",
      guidance: "A new Neon branch at the recovery point. Production is not touched.",
      reference: 'neon branches create --name "recovery-2026-01-17-1430" --restore-point "2026-01-17 14:29:59 UTC"',
      channel: "neon.recoverTo",
      payload: { profile: "{{profile.name}}", point: { at: "{{inputs.recovery-point.at}}" } },
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
      id: "diff",
      kind: "action",
      title: "Compare the branch with production",
      guidance: "Rows present on the recovery branch but missing from production are what the corruption removed.",
      reference: 'psql "$RECOVERY_URL" -c \'SELECT COUNT(*) FROM "ClinicalNote"\'',
      channel: "forensics.diff",
      payload: { profile: "{{profile.name}}", source: fromBranch, table: "{{inputs.recovery-point.table}}" },
      progress: true,
      actionLabel: "Compare",
      show: {
        kind: "fields",
        fields: [
          { label: "Rows on the branch", path: "counts.source", format: "number" },
          { label: "Rows in production", path: "counts.production", format: "number" },
          { label: "Missing from production", path: "missing", format: "number" },
          { label: "Changed", path: "changed", format: "number" },
          { label: "Only in production", path: "extra", format: "number" },
        ],
      },
    },
    {
      id: "copy-dry-run",
      kind: "action",
      title: "Dry run the copy",
      guidance: "Counts what the copy would write, inside a transaction that is rolled back.",
      reference: "\\copy (SELECT * FROM \"ClinicalNote\" WHERE ...) TO '/tmp/recovery_notes.csv' CSV HEADER;",
      channel: "forensics.copy",
      payload: {
        profile: "{{profile.name}}",
        source: fromBranch,
        table: "{{inputs.recovery-point.table}}",
        dryRun: true,
      },
      progress: true,
      actionLabel: "Dry run",
      show: {
        kind: "fields",
        fields: [
          { label: "Rows that would be copied", path: "rows", format: "number" },
          { label: "Production rows now", path: "before", format: "number" },
          { label: "Production rows after", path: "after", format: "number" },
        ],
      },
    },
    {
      id: "copy",
      kind: "action",
      title: "Copy the missing rows into production",
      guidance:
        "One transaction, ON CONFLICT DO NOTHING: existing rows are never overwritten. This writes to PRODUCTION.",
      reference: "\\copy \"ClinicalNote\" FROM '/tmp/recovery_notes.csv' CSV HEADER;",
      channel: "forensics.copy",
      payload: {
        profile: "{{profile.name}}",
        source: fromBranch,
        table: "{{inputs.recovery-point.table}}",
        dryRun: false,
      },
      progress: true,
      actionLabel: "Copy rows into production",
      destructive: {
        warning: "This writes into the production database.",
        confirmText: "{{profile.database.database}}",
        confirmLabel: "Type the production database name to confirm",
        payloadKey: "confirm",
      },
      show: {
        kind: "fields",
        fields: [
          { label: "Rows copied", path: "rows", format: "number" },
          { label: "Production rows before", path: "before", format: "number" },
          { label: "Production rows after", path: "after", format: "number" },
        ],
      },
    },
    {
      id: "verify",
      kind: "action",
      title: "Verify the counts",
      guidance: "Compare again: nothing may be missing from production any more.",
      reference: 'SELECT COUNT(*) FROM "ClinicalNote";',
      channel: "forensics.diff",
      payload: { profile: "{{profile.name}}", source: fromBranch, table: "{{inputs.recovery-point.table}}" },
      progress: true,
      saveAs: "verify",
      actionLabel: "Verify counts",
      show: {
        kind: "fields",
        fields: [
          { label: "Rows on the branch", path: "counts.source", format: "number" },
          { label: "Rows in production", path: "counts.production", format: "number" },
          { label: "Still missing", path: "missing", format: "number" },
        ],
      },
      expect: [{ path: "missing", op: "eq", value: 0, failure: "Rows are still missing from production." }],
    },
    {
      id: "smoke-test",
      kind: "record",
      title: "Check the application",
      guidance: "Ask the user who reported the problem to confirm their data is back.",
      fields: [
        {
          name: "confirmed",
          label: "The reported data is visible in the application again",
          type: "checkbox",
          required: true,
        },
        { name: "note", label: "Notes", type: "text", multiline: true },
      ],
      submitLabel: "Record the check",
    },
    {
      id: "service-restored",
      kind: "action",
      title: "Mark service restored",
      guidance: "Stops the RTO clock: the time from detection to now is the achieved recovery time.",
      channel: "incidents.serviceRestored",
      payload: { incident: "{{incident.id}}" },
      actionLabel: "Service restored",
      show: { kind: "fields", fields: [{ label: "Recorded at", path: "ts", format: "datetime" }] },
    },
    {
      id: "post-recovery",
      kind: "checklist",
      title: "Post-recovery checklist",
      guidance: "Tick each item when it is done. Each tick is journaled.",
      items: POST_RECOVERY_ITEMS,
    },
  ],
};
