// Seed Scenario 3: a schema migration gone wrong (a dropped column or table). Roll the application back first, then
// restore the schema and the dropped values from a branch at the moment before the migration — never the other data.
import type { RunbookDefinition } from "./runbook-types.ts";
import { postRecoveryStep, rollbackAppStep, serviceRestoredStep } from "./shared-steps.ts";

const fromBranch = { kind: "neon-branch", branch: "{{results.recovery-branch.branch.id}}" };

export const scenario3BadMigration: RunbookDefinition = {
  id: "scenario-3-bad-migration",
  version: "1.0",
  title: "Scenario 3: Schema migration gone wrong",
  summary:
    "A destructive migration dropped a column or a table. Roll back the app, then restore schema and values from a branch.",
  scenario: "bad-migration",
  defaultSeverity: "SEV2",
  expectedMinutes: [10, 20],
  detection: [
    'Application errors: "column does not exist"',
    "500 errors on every endpoint using the affected table",
    "Prisma query errors in the logs",
  ],
  steps: [
    rollbackAppStep(
      "Revert the commit that shipped the migration and redeploy, so nothing writes against the broken schema.",
    ),
    {
      id: "migration-time",
      kind: "record",
      title: "When did the migration run?",
      guidance: "The recovery branch is made one second before it, so it still has the dropped column or table.",
      fields: [{ name: "at", label: "Last good second before the migration (UTC)", type: "timestamp", required: true }],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Recovery point before the migration: {{inputs.migration-time.at}}",
          recoveryPoint: "{{inputs.migration-time.at}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the time",
    },
    {
      id: "recovery-branch",
      kind: "action",
      title: "Create the recovery branch",
      guidance: "A Neon branch at the last good second, with the old schema and its data.",
      reference: 'neon branches create --name "recovery-…" --restore-point "…"',
      channel: "neon.recoverTo",
      payload: { profile: "{{profile.name}}", point: { at: "{{inputs.migration-time.at}}" } },
      progress: true,
      actionLabel: "Create recovery branch",
      show: {
        kind: "fields",
        fields: [
          { label: "Branch", path: "branch.name", format: "code" },
          { label: "Point in time", path: "pointInTime", format: "datetime" },
          { label: "Took", path: "durationMs", format: "duration-ms" },
        ],
      },
    },
    {
      id: "schema-diff",
      kind: "action",
      title: "Find what the migration dropped",
      guidance: "Tables and columns that exist on the branch but no longer in production.",
      channel: "forensics.schemaDiff",
      payload: { profile: "{{profile.name}}", source: fromBranch },
      actionLabel: "Compare schemas",
      show: {
        kind: "table",
        path: "droppedColumns",
        empty: "No dropped columns.",
        columns: [
          { label: "Table", path: "table" },
          { label: "Column", path: "column", format: "code" },
          { label: "Type", path: "type", format: "code" },
        ],
      },
    },
    {
      id: "what-to-restore",
      kind: "record",
      title: "Choose what to restore",
      guidance: "Restore the schema and the dropped values only (DO NOT restore other data: it has changed since).",
      reference:
        'ALTER TABLE "ClinicalNote" ADD COLUMN "deletedColumn" TEXT;\nCREATE TABLE "DroppedTable" AS SELECT * FROM <recovery_branch>."DroppedTable";',
      fields: [
        {
          name: "table",
          label: "Table",
          type: "text",
          required: true,
          default: "{{results.schema-diff.droppedColumns.0.table}}",
        },
        {
          name: "column",
          label: "Column (empty to restore the whole dropped table)",
          type: "text",
          default: "{{results.schema-diff.droppedColumns.0.column}}",
        },
      ],
      submitLabel: "Record the choice",
    },
    {
      id: "restore-dry-run",
      kind: "action",
      title: "Dry run the schema restore",
      guidance: "Counts the rows whose values would be restored, in a transaction that is rolled back.",
      channel: "forensics.restoreDropped",
      payload: {
        profile: "{{profile.name}}",
        source: fromBranch,
        table: "{{inputs.what-to-restore.table}}",
        column: "{{inputs.what-to-restore.column | nonempty}}",
        dryRun: true,
      },
      progress: true,
      actionLabel: "Dry run",
      show: { kind: "fields", fields: [{ label: "Rows affected", path: "rows", format: "number" }] },
    },
    {
      id: "restore-dropped",
      kind: "action",
      title: "Restore the dropped schema and values",
      guidance: "Re-creates the column (or table) in PRODUCTION and fills it from the branch by primary key.",
      channel: "forensics.restoreDropped",
      payload: {
        profile: "{{profile.name}}",
        source: fromBranch,
        table: "{{inputs.what-to-restore.table}}",
        column: "{{inputs.what-to-restore.column | nonempty}}",
        dryRun: false,
      },
      progress: true,
      actionLabel: "Restore into production",
      destructive: {
        warning: "This changes the production schema and writes into production.",
        confirmText: "{{profile.database.database}}",
        confirmLabel: "Type the production database name to confirm",
        payloadKey: "confirm",
      },
      show: { kind: "fields", fields: [{ label: "Rows restored", path: "rows", format: "number" }] },
    },
    {
      id: "prisma-resolve",
      kind: "record",
      title: "Mark the migration as rolled back",
      guidance: "Tell Prisma the migration was rolled back and regenerate the client.",
      reference: "npx prisma migrate resolve --rolled-back <migration-name>\nnpx prisma generate",
      fields: [
        { name: "migration", label: "Migration name", type: "text", required: true },
        { name: "generated", label: "Prisma client regenerated", type: "checkbox", required: true },
      ],
      submitLabel: "Record",
    },
    {
      id: "test-app",
      kind: "record",
      title: "Test the application",
      guidance: "Run the integration tests and smoke test the endpoints.",
      reference: 'npm test\ncurl -X POST /api/auth/signin -d \'{"email":"test@example.com","password":"test123"}\'',
      fields: [
        { name: "tests", label: "Integration tests pass", type: "checkbox", required: true },
        { name: "smoke", label: "Smoke tests pass", type: "checkbox", required: true },
      ],
      submitLabel: "Record test results",
    },
    serviceRestoredStep(),
    postRecoveryStep,
  ],
};
