// Seed Scenario 1: data corruption (a bulk delete or a bad update). Find when it happened, branch at the last good
// second and right after the incident, plan the repair from the three states (decide what the plan cannot), repair
// production in one transaction, verify that nothing damaged is left undecided, and close out.
import type { RunbookDefinition } from "./runbook-types.ts";
import {
  applyStep,
  damagedBranchStep,
  dryRunStep,
  planStep,
  recoveryBranchStep,
  recoveryPointStep,
  verifyStep,
} from "./repair-steps.ts";
import { postRecoveryStep, serviceRestoredStep } from "./shared-steps.ts";

export const scenario1DataCorruption: RunbookDefinition = {
  id: "scenario-1-data-corruption",
  version: "1.0",
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
    recoveryPointStep,
    recoveryBranchStep,
    damagedBranchStep,
    planStep,
    dryRunStep,
    applyStep,
    verifyStep,
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
    serviceRestoredStep("Stops the RTO clock: the time from detection to now is the achieved recovery time."),
    postRecoveryStep,
  ],
};
