// Alerts to a webhook: one generic JSON body that Slack's and Teams' incoming webhooks accept as it is (`text`; Teams'
// legacy connectors also read `summary`), with the structured alert beside it for any other receiver. Every
// notification is journaled (notify.webhook), sent or not; a receiver that is down never fails the run.
import type { Journal } from "../journal/journal.ts";
import { httpSend, type SendResult } from "./http-send.ts";

export interface Notification {
  profile: string;
  /** "CRITICAL", "HIGH", "MEDIUM", "LOW", or "RESOLVED" when a failing job succeeds again. */
  severity: string;
  title: string;
  message: string;
  hint?: string;
  /** Stable while the condition lasts (the alert's id), so receivers can group. */
  id: string;
  host: string;
  at: string;
  job?: string;
  runId?: string;
}

const ICON: Record<string, string> = { CRITICAL: "🔴", HIGH: "🟠", MEDIUM: "🟡", LOW: "🔵", RESOLVED: "✅" };

export function webhookBody(n: Notification): Record<string, unknown> {
  const head = `${ICON[n.severity] ?? "•"} Lifeboat ${n.severity}: ${n.title}`;
  const text = [head, n.message, n.hint ? `What to do: ${n.hint}` : "", `(${n.profile}, ${n.host}, ${n.at})`]
    .filter(Boolean)
    .join("\n");
  return { text, summary: head, lifeboat: n };
}

export async function sendWebhook(
  url: string,
  n: Notification,
  journal: Pick<Journal, "append">,
  opts: { timeoutMs?: number; tries?: number; retryDelayMs?: number } = {},
): Promise<SendResult> {
  const r = await httpSend(url, JSON.stringify(webhookBody(n)), "application/json", opts);
  await journal.append({
    kind: "notify.webhook",
    summary: r.ok
      ? `Webhook sent: ${n.severity} ${n.title} (${n.profile})`
      : `Webhook for ${n.severity} ${n.title} (${n.profile}) could not be sent: ${r.error}`,
    profile: n.profile,
    outcome: r.ok ? "ok" : "failed",
    durationMs: r.durationMs,
    details: {
      alert: n.id,
      severity: n.severity,
      title: n.title,
      ...(n.job ? { job: n.job } : {}),
      ...(n.runId ? { runId: n.runId } : {}),
      ...(r.status ? { status: r.status } : {}),
      ...(r.error ? { error: r.error } : {}),
    },
  });
  return r;
}
