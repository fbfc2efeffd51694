import type { ApiRouter } from "../api/router.ts";
import { AlertTracker } from "../alerts/new-alerts.ts";
import type { ElectronApi } from "./electron-api.ts";

const FIRST_CHECK_MS = 10_000;
const EVERY_MS = 5 * 60_000;

/** Checks alerts now and then and shows a desktop notification for each new one. Returns the stop function. */
export function startAlertNotifications(
  Notification: ElectronApi["Notification"],
  router: ApiRouter,
  timers = { first: FIRST_CHECK_MS, every: EVERY_MS },
): () => void {
  const tracker = new AlertTracker();
  let busy = false;
  const check = async (): Promise<void> => {
    if (busy || !Notification.isSupported()) return;
    busy = true;
    try {
      const r = await router.invoke("alerts.list", {});
      if (!r.ok) return;
      for (const a of tracker.update(r.value.alerts)) {
        new Notification({
          title: `${a.severity}: ${a.title} (${a.profile})`,
          body: a.message,
          urgency: a.severity === "CRITICAL" ? "critical" : "normal",
        }).show();
      }
    } finally {
      busy = false;
    }
  };
  const first = setTimeout(() => void check(), timers.first);
  const every = setInterval(() => void check(), timers.every);
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
