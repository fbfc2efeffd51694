// Desktop notifications for alerts that are new since the console opened (an alert's id is stable while its condition
// lasts, so one condition notifies once). Browser mode uses the Web Notification API; Electron's renderer has the same
// API. Nothing is shown until the operator allows it.
import { useEffect, useRef, useState } from "react";
import { invoke } from "../api/invoke.ts";

export type NotifyState = "unsupported" | "default" | "granted" | "denied";

export function useAlertNotifications(pollMs = 60_000): { state: NotifyState; enable: () => void } {
  const supported = typeof Notification !== "undefined";
  const [state, setState] = useState<NotifyState>(supported ? (Notification.permission as NotifyState) : "unsupported");
  const seen = useRef<Set<string> | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    const poll = async () => {
      const r = await invoke("alerts.list", {});
      if (stopped || !r.ok) return;
      const first = seen.current === undefined;
      seen.current ??= new Set();
      for (const a of r.value.alerts) {
        if (seen.current.has(a.id)) continue;
        seen.current.add(a.id);
        if (!first && supported && Notification.permission === "granted") {
          new Notification(`${a.severity}: ${a.title}`, { body: `${a.profile}: ${a.message}`, tag: a.id });
        }
      }
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
