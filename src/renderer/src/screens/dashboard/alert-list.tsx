import type { Alert } from "../../../../shared/alert.ts";
import { StatusBadge, type Tone } from "../../components/status-badge.tsx";
import { AlertActionButton } from "./alert-action.tsx";

export const ALERT_TONE: Record<Alert["severity"], Tone> = {
  CRITICAL: "critical",
  HIGH: "high",
  MEDIUM: "medium",
  LOW: "unknown",
};

export function AlertList({
  alerts,
  label,
  onDone = () => undefined,
}: {
  alerts: Alert[];
  label: string;
  /** Called when an alert's action finished (the dashboard checks again). */
  onDone?: () => void;
}) {
  if (alerts.length === 0) return <p>No open alerts.</p>;
  return (
    <ul className="alert-list" aria-label={label}>
      {alerts.map((a) => (
        <li key={a.id} className={`tone-${ALERT_TONE[a.severity]}`} aria-label={`${a.severity}: ${a.title}`}>
          <div className="row">
            <StatusBadge tone={ALERT_TONE[a.severity]} label={a.severity} />
            <strong style={{ color: "var(--text)" }}>{a.title}</strong>
          </div>
          <p>{a.message}</p>
          {a.hint ? <p className="muted">{a.hint}</p> : null}
          {a.action ? <AlertActionButton action={a.action} profile={a.profile} onDone={onDone} /> : null}
        </li>
      ))}
    </ul>
  );
}
