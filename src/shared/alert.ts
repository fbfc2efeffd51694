import { z } from "zod";

export const ALERT_SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export const AlertSeverity = z.enum(ALERT_SEVERITIES);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const ALERT_RULES = [
  "backup-missing",
  "backup-stale",
  "backup-test-failed",
  "backup-size-drop",
  "neon-window-short",
  "source-unreachable",
  "job-failed",
  "restore-unproven",
  "store-quota",
  "neon-unprotected",
  "neon-no-snapshots",
  "row-count-drop",
] as const;
export const AlertRule = z.enum(ALERT_RULES);
export type AlertRule = z.infer<typeof AlertRule>;

/** The button that starts an alert's fix: a backup now, a runbook's start form, a screen to open. */
export const AlertAction = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("backup"), label: z.string() }),
  z.object({ kind: z.literal("runbook"), label: z.string(), runbook: z.string() }),
  z.object({ kind: z.literal("profile-test"), label: z.string() }),
  z.object({ kind: z.literal("settings"), label: z.string() }),
]);
export type AlertAction = z.infer<typeof AlertAction>;

/**
 * A condition the engine found that needs the operator. `id` is stable while the condition lasts (profile + rule +
 * what triggered it), so a shell notifies once per new alert, not on every refresh.
 */
export const Alert = z.object({
  id: z.string(),
  profile: z.string(),
  rule: AlertRule,
  severity: AlertSeverity,
  title: z.string(),
  message: z.string(),
  /** What to do about it. */
  hint: z.string().optional(),
  /** The one action that starts the fix; every face offers it (a button, a command). */
  action: AlertAction.optional(),
  /** When the condition began, when known. */
  since: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type Alert = z.infer<typeof Alert>;

export const severityRank = (s: AlertSeverity): number => ALERT_SEVERITIES.indexOf(s);
