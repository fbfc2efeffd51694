// Seed: "Post-Recovery Checklist: after any recovery operation". Also the last step of every recovery scenario.
import { POST_RECOVERY_CHECKLIST } from "../incident.ts";
import type { RunbookDefinition } from "./runbook-types.ts";

export const postRecoveryChecklist: RunbookDefinition = {
  id: "post-recovery-checklist",
  version: "1.0",
  title: "Post-recovery checklist",
  summary: "After any recovery operation: integrity, smoke tests, audit gaps, communication, post-mortem, prevention.",
  scenario: "other",
  defaultSeverity: "SEV3",
  expectedMinutes: [10, 30],
  detection: ["A recovery has just been completed"],
  steps: [
    {
      id: "integrity",
      kind: "record",
      title: "Verify data integrity",
      guidance: "Run the integrity queries (record counts, latest records) and write down what they showed.",
      reference: 'SELECT COUNT(*) FROM "ClinicalNote"; SELECT MAX("createdAt") FROM "ClinicalNote";',
      fields: [
        { name: "result", label: "What the integrity queries showed", type: "text", multiline: true, required: true },
      ],
      submitLabel: "Record integrity result",
    },
    {
      id: "checklist",
      kind: "checklist",
      title: "Post-recovery checklist",
      guidance: "Tick each item when it is done. Each tick is journaled.",
      items: POST_RECOVERY_CHECKLIST,
    },
  ],
};
