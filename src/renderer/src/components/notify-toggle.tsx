import { useAlertNotifications } from "../hooks/use-alert-notifications.ts";

export function NotifyToggle() {
  const { state, enable } = useAlertNotifications();
  if (state === "unsupported") return null;
  if (state === "granted") return <span className="muted">Alert notifications on</span>;
  return (
    <button
      type="button"
      className="btn quiet"
      onClick={enable}
      disabled={state === "denied"}
      aria-label={state === "denied" ? undefined : "Notify me of alerts"}
    >
      {state === "denied" ? (
        "Notifications blocked"
      ) : (
        <>
          Notify me<span className="wide-only"> of alerts</span>
        </>
      )}
    </button>
  );
}
