// What an incident is made of, declared once for every face: the severity scale, the scenarios, the RTO/RPO targets
// and the recovery contacts. Defaults come from the runbook seed (Neon backup & recovery plan): RTO 30 minutes,
// RPO 1 minute.
import { z } from "zod";

/** SEV1 is the worst. One scale only, so reports compare across incidents. */
export const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/** What each level means, where the operator picks one. */
export const SEVERITY_MEANINGS: Record<Severity, string> = {
  SEV1: "production down or clinical data lost",
  SEV2: "major function broken",
  SEV3: "degraded, workaround exists",
  SEV4: "routine (tests, drills)",
};

/** The seed's recovery scenarios, those the audit added (seed 003), the weekly backup test and a catch-all. */
export const SCENARIOS = [
  "data-corruption",
  "database-loss",
  "bad-migration",
  "server-failure",
  "application-error",
  "ransomware",
  "region-outage",
  "backup-test",
  "other",
] as const;
export const Scenario = z.enum(SCENARIOS);
export type Scenario = z.infer<typeof Scenario>;

export const Targets = z.object({ rtoMinutes: z.number(), rpoMinutes: z.number() });
export type Targets = z.infer<typeof Targets>;

export const DEFAULT_TARGETS: Targets = { rtoMinutes: 30, rpoMinutes: 1 };

/** Who to call during a recovery (the seed's recovery contacts table). */
export const Contact = z.object({
  role: z.string(),
  name: z.string(),
  contact: z.string(),
  responsibility: z.string().optional(),
});
export type Contact = z.infer<typeof Contact>;

/**
 * The seed's post-recovery checklist (after any recovery operation; also the last step of every recovery scenario).
 * A tick is recorded and matched by the item's id, so the text can be reworded without orphaning earlier ticks.
 */
export const POST_RECOVERY_CHECKLIST = [
  { id: "verify-integrity", text: "Verify data integrity" },
  { id: "smoke-test", text: "Smoke test all API endpoints" },
  { id: "audit-log-gaps", text: "Check audit logs for gaps" },
  { id: "notify-team", text: "Notify team recovery is complete" },
  { id: "post-mortem", text: "Document incident in post-mortem" },
  { id: "update-targets", text: "Update RTO/RPO estimates if needed" },
  { id: "review-cause", text: "Review what caused the need for recovery" },
  { id: "prevention", text: "Implement prevention measures" },
] as const;
export type ChecklistItemId = (typeof POST_RECOVERY_CHECKLIST)[number]["id"];
export interface ChecklistItem {
  id: string;
  text: string;
}

/**
 * Journals written before ticks carried an id name the item by its text as it read then. These texts stay here,
 * whatever the checklist says now, so those ticks keep counting.
 */
const ID_OF_TEXT_BEFORE_IDS: Readonly<Record<string, ChecklistItemId>> = {
  "Verify data integrity": "verify-integrity",
  "Smoke test all API endpoints": "smoke-test",
  "Check audit logs for gaps": "audit-log-gaps",
  "Notify team recovery is complete": "notify-team",
  "Document incident in post-mortem": "post-mortem",
  "Update RTO/RPO estimates if needed": "update-targets",
  "Review what caused the need for recovery": "review-cause",
  "Implement prevention measures": "prevention",
};

/** The item a tick record's details name: `itemId` since ids exist, the item's text (`item`) before. */
export function checklistIdOfTick(details: Record<string, unknown>): string | undefined {
  if (typeof details.itemId === "string") return details.itemId;
  return typeof details.item === "string" ? ID_OF_TEXT_BEFORE_IDS[details.item] : undefined;
}

/** Matches a checklist item by id, 1-based number, exact text or unique case-insensitive prefix of its text. */
export function matchChecklistItem(input: string): ChecklistItem | undefined {
  const items: readonly ChecklistItem[] = POST_RECOVERY_CHECKLIST;
  const n = Number(input);
  if (Number.isInteger(n) && n >= 1 && n <= items.length) return items[n - 1];
  const needle = input.trim().toLowerCase();
  if (!needle) return undefined;
  const exact = items.find((i) => i.id === needle || i.text.toLowerCase() === needle);
  if (exact) return exact;
  const prefixed = items.filter((i) => i.text.toLowerCase().startsWith(needle));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
