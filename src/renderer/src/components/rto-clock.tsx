// The recovery-time clock: time since the incident opened against the profile's RTO target. It turns amber in the
// last fifth and red when the target is blown, and says so in words.
import { useNow } from "../hooks/use-now.ts";
import { formatClock } from "../lib/format.ts";

export function RtoClock({
  since,
  rtoMinutes,
  stoppedAt,
  compact,
}: {
  since: string;
  rtoMinutes: number;
  stoppedAt?: string | undefined;
  compact?: boolean;
}) {
  const now = useNow();
  const end = stoppedAt ? Date.parse(stoppedAt) : now;
  const elapsed = end - Date.parse(since);
  const target = rtoMinutes * 60_000;
  const left = target - elapsed;
  const tone = left < 0 ? "critical" : left < target / 5 ? "warn" : "ok";
  const state = stoppedAt ? (left < 0 ? "RTO missed" : "RTO met") : left < 0 ? "RTO exceeded" : "within RTO";
  return (
    <div
      className={`rto-clock tone-${tone} ${compact ? "compact" : ""}`}
      role="timer"
      aria-label="RTO clock"
      aria-live="off"
    >
      <span className={`rto-label ${compact ? "wide-only" : ""}`}>RTO {rtoMinutes} min</span>
      <span className="rto-time mono">{formatClock(elapsed)}</span>
      {compact ? (
        <span className="rto-state">{stoppedAt ? state : left < 0 ? "exceeded" : `${formatClock(left)} left`}</span>
      ) : (
        <span className="rto-state">
          {state}
          {!stoppedAt && left >= 0 ? ` · ${formatClock(left)} left` : ""}
        </span>
      )}
    </div>
  );
}
