// Scenario 1's repair, shared by every runbook that repairs rows from branches (Scenario 1, the application error):
// branches at the last good second and right after the damage, a plan from the three states, a dry run, the repair
// in one transaction, and a verify that stays red while a damaged row has no decision. They read the points and
// tables from the runbook's "recovery-point" record step (at, damagedAt, tables).
import type { ActionStep, RecordStep, ResultView } from "./runbook-types.ts";

const beforeBranch = { kind: "neon-branch", branch: "{{results.recovery-branch.branch.id}}" };
const damagedBranch = { kind: "neon-branch", branch: "{{results.damaged-branch.branch.id}}" };

const branchView: ResultView = {
  kind: "fields",
  fields: [
    { label: "Branch", path: "branch.name", format: "code" },
    { label: "Point in time", path: "pointInTime", format: "datetime" },
    { label: "Host", path: "host", format: "code" },
    { label: "Database", path: "database", format: "code" },
    { label: "Role", path: "role", format: "code" },
    { label: "Took", path: "durationMs", format: "duration-ms" },
  ],
};

const applyViews: ResultView[] = [
  {
    kind: "table",
    path: "tables",
    empty: "Nothing to write.",
    columns: [
      { label: "Table", path: "table" },
      { label: "Inserted", path: "inserted", format: "number" },
      { label: "Updated", path: "updated", format: "number" },
      { label: "Deleted", path: "deleted", format: "number" },
    ],
  },
  {
    kind: "fields",
    fields: [
      { label: "Left for a decision", path: "leftAlone.undecided", format: "number" },
      { label: "Kept by decision", path: "leftAlone.kept", format: "number" },
    ],
  },
];

/** The before and damaged points and the tables, defaulting to what the "audit" step (forensics.audit) suggested. */
export const recoveryPointStep: RecordStep = {
  id: "recovery-point",
  kind: "record",
  title: "Determine the recovery point",
  guidance:
    "Data was correct until just before the first bad change: that last good second is the before state. The damaged state is right after the incident ended, before later legitimate writes. Confirm both and the tables the incident touched (the audit bursts); this is recorded as a decision and sets the incident's RPO.",
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
      name: "damagedAt",
      label: "Damaged state (UTC), right after the incident",
      type: "timestamp",
      required: true,
      default: "{{results.audit.suggestedDamagedPoint}}",
    },
    {
      name: "tables",
      label: "Tables to repair (comma separated)",
      type: "text",
      required: true,
      default: "{{results.audit.incidentTables | join}}",
    },
  ],
  journal: {
    channel: "incidents.note",
    payload: {
      kind: "decision",
      text: "Recovery point {{inputs.recovery-point.at}}, damaged state {{inputs.recovery-point.damagedAt}}, tables {{inputs.recovery-point.tables}}",
      recoveryPoint: "{{inputs.recovery-point.at}}",
      corruptionTime: "{{results.audit.firstBadAt}}",
      incident: "{{incident.id}}",
    },
  },
  submitLabel: "Record the recovery point",
};

export const recoveryBranchStep: ActionStep = {
  id: "recovery-branch",
  kind: "action",
  title: "Create the recovery branch",
  guidance: "A new Neon branch at the recovery point: the before state. Production is not touched.",
  reference: 'neon branches create --name "recovery-2026-01-17-1430" --restore-point "2026-01-17 14:29:59 UTC"',
  channel: "neon.recoverTo",
  payload: { profile: "{{profile.name}}", point: { at: "{{inputs.recovery-point.at}}" } },
  progress: true,
  actionLabel: "Create recovery branch",
  show: [branchView, { kind: "branch-connection", path: "branch.id" }],
};

export const damagedBranchStep: ActionStep = {
  id: "damaged-branch",
  kind: "action",
  title: "Create the damaged-state branch",
  guidance:
    "A second branch right after the incident: comparing it with the before state shows what the incident did, and comparing it with production shows what was written since (kept, or a conflict to decide).",
  reference: 'neon branches create --name "damaged-2026-01-17-1436" --restore-point "2026-01-17 14:36:01 UTC"',
  channel: "neon.recoverTo",
  payload: { profile: "{{profile.name}}", point: { at: "{{inputs.recovery-point.damagedAt}}" } },
  progress: true,
  actionLabel: "Create damaged-state branch",
  show: [branchView, { kind: "branch-connection", path: "branch.id" }],
};

export const planStep: ActionStep = {
  id: "plan",
  kind: "action",
  title: "Plan the repair",
  guidance:
    "Every row of these tables, and of every table linked to them by a foreign key, compared in the three states. Re-inserts and restores are applied as planned; conflicts (changed again since) and rows the incident inserted wait for your decision. Open a table's rows to decide; export the plan for review.",
  reference:
    "psql \"$RECOVERY_URL\" -c '\\copy (SELECT * FROM \"ClinicalNote\" WHERE ...) TO '/tmp/recovery_notes.csv' CSV HEADER'",
  channel: "forensics.plan",
  payload: {
    profile: "{{profile.name}}",
    before: beforeBranch,
    damaged: damagedBranch,
    tables: "{{inputs.recovery-point.tables | list}}",
    points: { before: "{{inputs.recovery-point.at}}", damaged: "{{inputs.recovery-point.damagedAt}}" },
  },
  progress: true,
  actionLabel: "Plan the repair",
  show: { kind: "repair-plan", path: "plan" },
};

export const dryRunStep: ActionStep = {
  id: "dry-run",
  kind: "action",
  title: "Dry run the repair",
  guidance:
    "Every statement runs in one transaction that is then rolled back: the counts are exactly what the repair will do.",
  channel: "forensics.apply",
  payload: { profile: "{{profile.name}}", planId: "{{results.plan.plan.planId}}", dryRun: true },
  progress: true,
  actionLabel: "Dry run",
  show: applyViews,
};

export const applyStep: ActionStep = {
  id: "apply",
  kind: "action",
  title: "Repair production",
  guidance:
    "One transaction, parents before children. Refused if any row it writes changed since the plan was made (plan again). This writes to PRODUCTION.",
  channel: "forensics.apply",
  payload: { profile: "{{profile.name}}", planId: "{{results.plan.plan.planId}}", dryRun: false },
  progress: true,
  actionLabel: "Repair production",
  // A refused repair (production moved, or the plan was already applied) is made again from the same branches.
  redo: { step: "plan", label: "Re-plan" },
  destructive: {
    warning: "This writes into the production database.",
    confirmText: "{{profile.database.database}}",
    confirmLabel: "Type the production database name to confirm",
    payloadKey: "confirm",
  },
  show: applyViews,
};

export const verifyStep: ActionStep = {
  id: "verify",
  kind: "action",
  title: "Verify the repair",
  guidance:
    "The same comparison again. Green only when no damaged row is left without a recorded decision; otherwise open the remaining rows, decide, and verify again.",
  reference: 'SELECT COUNT(*) FROM "ClinicalNote";',
  channel: "forensics.verify",
  payload: { profile: "{{profile.name}}", planId: "{{results.plan.plan.planId}}" },
  progress: true,
  actionLabel: "Verify the repair",
  // Rows decided "take before" after the repair need a new plan to be written: one click compares again.
  redo: { step: "plan", label: "Re-plan" },
  show: { kind: "repair-remaining" },
  expect: [
    {
      path: "green",
      op: "truthy",
      failure:
        "Damaged rows remain unrepaired without a decision. Open them below and decide (keep now, keep) and verify again; to repair them (take before, remove), Re-plan, then dry run and repair the new plan.",
    },
  ],
};
