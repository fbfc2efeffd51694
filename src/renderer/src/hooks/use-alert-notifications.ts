// Polls the engine's alerts for desktop notifications (see alert-notifier.ts). Browser mode uses the Web Notification
// API; Electron's renderer has the same API. Nothing is shown until the operator allows it.
import { useEffect, useState } from "react";
import { invoke } from "../api/invoke.ts";
import { notifyNewAlerts } from "../lib/alert-notifier.ts";

export type NotifyState = "unsupported" | "default" | "granted" | "denied";

export function useAlertNotifications(pollMs = 60_000): { state: NotifyState; enable: () => void } {
  const supported = typeof Notification !== "undefined";
  const [state, setState] = useState<NotifyState>(supported ? (Notification.permission as NotifyState) : "unsupported");

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const r = await invoke("alerts.list", {});
      if (stopped || !r.ok) return;
      notifyNewAlerts(r.value.alerts);
    };
    void poll();
    const t = setInterval(poll, pollMs);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [pollMs, supported]);

  const enable = () => {
    if (!supported) return;
    void Notification.requestPermission().then((p) => setState(p as NotifyState));
  };
  return { state, enable };
}
