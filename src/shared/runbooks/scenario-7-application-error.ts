// The audit's "application error" (seed 003): a bad release wrote wrong data for hours, in many transactions and many
// tables, until it was rolled back. Unlike Scenario 1 (one bad statement, found as a burst in the audit log), the
// damage spans the deploy window: the window comes from the deploy log, the audit log lists every table the release
// wrote to inside it, and Scenario 1's repair (branches, plan, dry run, repair, verify) undoes all of it at once while
// keeping what the clinic wrote after the rollback.
import type { RunbookDefinition } from "./runbook-types.ts";
import { applyStep, damagedBranchStep, dryRunStep, planStep, recoveryBranchStep, verifyStep } from "./repair-steps.ts";
import { postRecoveryStep, rollbackAppStep, serviceRestoredStep } from "./shared-steps.ts";

export const scenario7ApplicationError: RunbookDefinition = {
  id: "scenario-7-application-error",
  version: "1.0",
  title: "Scenario 7: Application error",
  summary:
    "A bad release wrote wrong data across many tables for hours. Roll it back, then undo everything it wrote in its deploy window, keeping later work.",
  scenario: "application-error",
  defaultSeverity: "SEV2",
  expectedMinutes: [30, 90],
  detection: [
    "Users report wrong values (phone numbers, doses, lab units) since a release",
    "Error tracking shows a new exception class after a deploy",
    "The audit log shows UPDATEs from the new release across several tables",
  ],
  steps: [
    rollbackAppStep(
      "Roll back to the last good release first, so the bug stops writing. The repair comes after: repairing while it still writes would have to be done again.",
    ),
    {
      id: "deploy-window",
      kind: "record",
      title: "Find the deploy window",
      guidance:
        "From the deploy log: when the bad release went live and when the rollback finished. Everything it wrote lies between the two; what the clinic wrote after the rollback is kept.",
      reference: "vercel ls dr-amal-app\n# or\nkubectl rollout history deployment dr-amal-app",
      fields: [
        { name: "release", label: "Bad release", type: "text", required: true, placeholder: "4.3.0" },
        { name: "deployedAt", label: "Went live at (UTC)", type: "timestamp", required: true },
        { name: "rolledBackAt", label: "Rolled back at (UTC)", type: "timestamp", required: true, default: "{{now}}" },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Release {{inputs.deploy-window.release}} wrote from {{inputs.deploy-window.deployedAt}} until its rollback at {{inputs.deploy-window.rolledBackAt}}",
          corruptionTime: "{{inputs.deploy-window.deployedAt}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the window",
    },
    {
      id: "audit",
      kind: "action",
      title: "List what the release wrote",
      guidance:
        "The audit log inside the deploy window, per table and minute: every table with a burst of writes is a table to repair. The release's own audit rows name it.",
      reference:
        "SELECT \"tableName\", action, count(*) FROM \"AuditLog\"\nWHERE timestamp BETWEEN '<went live>' AND '<rolled back>' GROUP BY 1, 2 ORDER BY 3 DESC;",
      channel: "forensics.audit",
      payload: {
        profile: "{{profile.name}}",
        since: "{{inputs.deploy-window.deployedAt}}",
        until: "{{inputs.deploy-window.rolledBackAt}}",
        actions: ["CREATE", "UPDATE", "DELETE"],
        top: 100,
      },
      actionLabel: "Search the audit log",
      show: {
        kind: "table",
        path: "bursts",
        empty: "The audit log shows no writes in the window: check the window, or choose the tables by hand.",
        columns: [
          { label: "Table", path: "table" },
          { label: "Action", path: "action" },
          { label: "From", path: "first", format: "datetime" },
          { label: "Until", path: "last", format: "datetime" },
          { label: "Rows", path: "count", format: "number" },
        ],
      },
      expect: [{ path: "events", op: "gt", value: 0, failure: "No audit events in the window." }],
    },
    {
      id: "recovery-point",
      kind: "record",
      title: "Confirm the window and the tables",
      guidance:
        "The before state is the last second before the release went live; the damaged state is the rollback. Every table the release wrote to is repaired, with the tables linked to them. Recorded as a decision: it sets the incident's RPO.",
      fields: [
        {
          name: "at",
          label: "Before the release (UTC)",
          type: "timestamp",
          required: true,
          default: "{{inputs.deploy-window.deployedAt}}",
        },
        {
          name: "damagedAt",
          label: "At the rollback (UTC)",
          type: "timestamp",
          required: true,
          default: "{{inputs.deploy-window.rolledBackAt}}",
        },
        {
          name: "tables",
          label: "Tables to repair (comma separated)",
          type: "text",
          required: true,
          default: "{{results.audit.bursts | tableNames | join}}",
        },
      ],
      journal: {
        channel: "incidents.note",
        payload: {
          kind: "decision",
          text: "Repair release {{inputs.deploy-window.release}}'s writes: before {{inputs.recovery-point.at}}, damaged {{inputs.recovery-point.damagedAt}}, tables {{inputs.recovery-point.tables}}",
          recoveryPoint: "{{inputs.recovery-point.at}}",
          corruptionTime: "{{inputs.deploy-window.deployedAt}}",
          incident: "{{incident.id}}",
        },
      },
      submitLabel: "Record the window and tables",
    },
    recoveryBranchStep,
    damagedBranchStep,
    planStep,
    dryRunStep,
    applyStep,
    verifyStep,
    {
      id: "app-check",
      kind: "record",
      title: "Check the application",
      guidance:
        "Spot-check records from each repaired table in the application (a phone number, a dose, a lab unit), and that work done after the rollback is still there.",
      fields: [
        { name: "repaired", label: "Repaired values are right in the application", type: "checkbox", required: true },
        { name: "later", label: "Work done after the rollback is still there", type: "checkbox", required: true },
        { name: "note", label: "Notes", type: "text", multiline: true },
      ],
      submitLabel: "Record the check",
    },
    serviceRestoredStep("Stops the RTO clock: the time from detection to now is the achieved recovery time."),
    postRecoveryStep,
  ],
};
