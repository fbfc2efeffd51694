// Steps more than one runbook walks, declared once: the same object in each runbook, so a change reaches all of them
// (and raises each one's version: see test/shared/runbooks/runbook-version.test.ts).
import { POST_RECOVERY_CHECKLIST } from "../incident.ts";
import type { ActionStep, ChecklistStep, RecordStep } from "./runbook-types.ts";

/** A direct connection through the engine; a failure is the finding that confirms an outage. */
export const checkDatabaseStep: ActionStep = {
  id: "check-database",
  kind: "action",
  title: "Try a direct connection",
  guidance: "Lifeboat connects to the database and runs SELECT now(). A failure here confirms the outage.",
  reference: 'psql "$DATABASE_URL" -c "SELECT 1"',
  channel: "dashboard.summary",
  payload: { profiles: ["{{profile.name}}"], timeoutMs: 5000 },
  failureIsFinding: true,
  actionLabel: "Test the connection",
  show: {
    kind: "fields",
    fields: [
      { label: "Database reachable", path: "profiles.0.database.reachable", format: "boolean" },
      { label: "Latency", path: "profiles.0.database.latencyMs", format: "duration-ms" },
      { label: "Why not", path: "profiles.0.database.error.message" },
      { label: "Neon API reachable", path: "profiles.0.neon.reachable", format: "boolean" },
      { label: "Last backup", path: "profiles.0.lastBackup.finishedAt", format: "datetime" },
    ],
  },
};

export const contactNeonStep: RecordStep = {
  id: "contact-neon",
  kind: "record",
  title: "Contact Neon support (CRITICAL)",
  guidance:
    "Email support@neon.tech, priority URGENT: production database down. Use the Neon customer Slack if you have one.",
  reference: "support@neon.tech — URGENT — Production database down",
  fields: [
    { name: "contactedAt", label: "Contacted at (UTC)", type: "timestamp", required: true, default: "{{now}}" },
    { name: "ticket", label: "Ticket or thread reference", type: "text" },
  ],
  submitLabel: "Record contact",
};

export const reconnectStep: RecordStep = {
  id: "reconnect",
  kind: "record",
  title: "Reconnect the application",
  guidance: "Update DATABASE_URL if the endpoint changed, then restart or redeploy the application.",
  reference: "kubectl rollout restart deployment dr-amal-app\n# or\nvercel --prod",
  fields: [
    { name: "updated", label: "DATABASE_URL points at the restored database", type: "checkbox", required: true },
    { name: "restarted", label: "Application restarted or redeployed", type: "checkbox", required: true },
  ],
  submitLabel: "Record reconnection",
};

export const notifyUsersStep: RecordStep = {
  id: "notify-users",
  kind: "record",
  title: "Notify users",
  guidance: 'Post to the status page ("Database restored, service operational") and email active users.',
  fields: [
    { name: "status", label: "Status page updated", type: "checkbox", required: true },
    { name: "email", label: "Active users emailed", type: "checkbox" },
  ],
  submitLabel: "Record notification",
};

/** Stops the RTO clock (the guidance may say more). */
export function serviceRestoredStep(guidance = "Stops the RTO clock."): ActionStep {
  return {
    id: "service-restored",
    kind: "action",
    title: "Mark service restored",
    guidance,
    channel: "incidents.serviceRestored",
    payload: { incident: "{{incident.id}}" },
    actionLabel: "Service restored",
    show: { kind: "fields", fields: [{ label: "Recorded at", path: "ts", format: "datetime" }] },
  };
}

/** The seed's post-recovery checklist: the last step of every recovery scenario. */
export const postRecoveryStep: ChecklistStep = {
  id: "post-recovery",
  kind: "checklist",
  title: "Post-recovery checklist",
  guidance: "Tick each item when it is done. Each tick is journaled.",
  items: POST_RECOVERY_CHECKLIST,
};

/** The application rolled back before anything else, so nothing more is written wrong (the guidance says why). */
export function rollbackAppStep(guidance: string): RecordStep {
  return {
    id: "rollback-app",
    kind: "record",
    title: "Roll back the application immediately",
    guidance,
    reference: "git revert HEAD\ngit push origin main\nvercel --prod",
    fields: [
      { name: "commit", label: "Reverted commit", type: "text", placeholder: "abc1234" },
      { name: "redeployed", label: "Previous version redeployed", type: "checkbox", required: true },
    ],
    submitLabel: "Record rollback",
  };
}
