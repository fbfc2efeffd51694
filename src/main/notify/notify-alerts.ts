// After the scheduled runs of a profile, its open alerts (a store nearing its quota, a backup gone stale, a restore not
// proven for too long…) go to the webhook once each: the ids already sent are kept in the store beside the backups, so
// neither a second run nor a second machine sends the same alert again, and an alert that cleared and came back is
// sent anew. A failed scheduled run is not among them: the run itself sent that one.
import type { Alert } from "../../shared/alert.ts";
import type { Journal } from "../journal/journal.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { stateKeys } from "../store-journal/state-keys.ts";
import { sendWebhook } from "./webhook.ts";

async function sentIds(store: BackupStore, profile: string): Promise<string[]> {
  try {
    const doc = JSON.parse((await store.getSmall(stateKeys.notified(profile))).toString()) as { ids?: unknown };
    return Array.isArray(doc.ids) ? doc.ids.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export async function notifyNewAlerts(
  alerts: Alert[],
  o: {
    profile: string;
    store: BackupStore;
    webhook: string;
    journal: Pick<Journal, "append">;
    host: string;
    now: Date;
    http?: { timeoutMs?: number; tries?: number; retryDelayMs?: number };
  },
): Promise<Alert[]> {
  const open = alerts.filter((a) => a.rule !== "job-failed");
  const sent = new Set(await sentIds(o.store, o.profile));
  const fresh = open.filter((a) => !sent.has(a.id));
  const delivered = new Set<string>();
  for (const a of fresh) {
    const r = await sendWebhook(
      o.webhook,
      {
        profile: a.profile,
        severity: a.severity,
        title: a.title,
        message: a.message,
        ...(a.hint ? { hint: a.hint } : {}),
        id: a.id,
        host: o.host,
        at: o.now.toISOString(),
      },
      o.journal,
      o.http,
    );
    if (r.ok) delivered.add(a.id);
  }
  // Open alerts already sent, or sent now; one that could not be delivered is tried again after the next run.
  const ids = open.filter((a) => sent.has(a.id) || delivered.has(a.id)).map((a) => a.id);
  await o.store.putSmall(stateKeys.notified(o.profile), JSON.stringify({ ids }) + "\n", "application/json");
  return fresh.filter((a) => delivered.has(a.id));
}
