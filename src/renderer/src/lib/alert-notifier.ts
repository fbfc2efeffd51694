// Desktop notifications for alerts that are new since the console opened. An alert's id is stable while its condition
// lasts, so one condition notifies once, however often the dashboard or the background poll sees it. Alerts present
// when the console opens are on screen already and do not notify.
import type { Alert } from "../../../shared/alert.ts";

let seen: Set<string> | undefined;

export function notifyNewAlerts(alerts: readonly Alert[]): Alert[] {
  const first = seen === undefined;
  seen ??= new Set();
  const fresh = alerts.filter((a) => !seen!.has(a.id));
  for (const a of fresh) seen.add(a.id);
  if (first || typeof Notification === "undefined" || Notification.permission !== "granted") return [];
  for (const a of fresh)
    new Notification(`${a.severity}: ${a.title}`, { body: `${a.profile}: ${a.message}`, tag: a.id });
  return fresh;
}
