// Neon's history window drawn as how far back a restore can go: the bar ends at "now" on the right; the green part is
// the window, the black tick is how far back the profile requires. A window shorter than required turns amber.
import { formatDuration, formatTime } from "../../../../shared/format.ts";
import type { NeonWindow } from "../../../../shared/api/neon-schemas.ts";

export function HistoryWindowBar({ window: w }: { window: NeonWindow }) {
  const have = Math.max(0, (Date.parse(w.end) - Date.parse(w.start)) / 1000);
  const need = w.requiredSeconds;
  const scale = Math.max(have, need, 1);
  const short = need > 0 && have + 60 < need;
  const label = `Neon history window: can restore back to ${formatTime(w.start)} (${formatDuration(have * 1000)})${need ? `; required ${formatDuration(need * 1000)}` : ""}${short ? ", SHORTER THAN REQUIRED" : ""}`;
  return (
    <div className="stack" style={{ gap: "0.3rem" }}>
      <div className="history-bar" role="img" aria-label={label}>
        <div className={`window ${short ? "short" : ""}`} style={{ width: `${(have / scale) * 100}%` }} />
        {need ? (
          <div
            className="required"
            style={{ right: `min(calc(100% - 3px), ${(need / scale) * 100}%)` }}
            title="Required window"
          />
        ) : null}
      </div>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <span>
          Back to <strong>{formatTime(w.start)}</strong>
        </span>
        <span className="muted">now</span>
      </div>
      <span
        className={short ? "tone-warn" : "muted"}
        style={short ? { fontWeight: 700, background: "none" } : undefined}
      >
        {formatDuration(have * 1000)} of history
        {need ? ` · required ${formatDuration(need * 1000)}` : ""}
        {short ? " · shorter than required" : ""}
      </span>
    </div>
  );
}
