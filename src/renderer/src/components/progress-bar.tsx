// The progress of a long operation as the engine reports it: bytes, tables, rate, ETA. A bar that fills only when the
// total is known; otherwise the moving bar says "working" and the figures beside it say how far it got.
import { formatBytes, formatRate } from "../../../shared/format.ts";
import type { Progress } from "../../../shared/progress.ts";
import { formatClock, formatNumber } from "../lib/format.ts";

function fraction(p: Progress | undefined): number | undefined {
  if (!p) return undefined;
  if (p.totalBytes && p.totalBytes > 0) return Math.min(1, p.bytes / p.totalBytes);
  if (p.totalRows && p.totalRows > 0 && p.rows !== undefined) return Math.min(1, p.rows / p.totalRows);
  if (p.tablesTotal && p.tablesTotal > 0 && p.tablesDone !== undefined)
    return Math.min(1, p.tablesDone / p.tablesTotal);
  return undefined;
}

export function ProgressBar({
  label,
  progress,
  startedAt,
  now = Date.now(),
}: {
  label: string;
  progress: Progress | undefined;
  startedAt?: number | undefined;
  now?: number;
}) {
  const f = fraction(progress);
  const pct = f === undefined ? undefined : Math.round(f * 100);
  const done = progress?.rows !== undefined ? `${formatNumber(progress.rows)} rows` : formatBytes(progress?.bytes ?? 0);
  const text = pct === undefined ? `${progress ? done : "Starting"}…` : `${pct}%`;
  return (
    <div className="progress">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <strong>{label}</strong>
        <span className="mono">{progress?.phase ?? "starting"}</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(pct !== undefined ? { "aria-valuenow": pct } : {})}
        aria-valuetext={text}
      >
        <div
          className={`progress-fill ${pct === undefined ? "indeterminate" : ""}`}
          style={pct === undefined ? undefined : { width: `${pct}%` }}
        />
      </div>
      <dl className="kv" aria-label={`${label} figures`}>
        <dt>Done</dt>
        <dd>
          {pct !== undefined ? `${pct}% · ` : ""}
          {done}
          {progress?.totalBytes ? ` of ${formatBytes(progress.totalBytes)}` : ""}
          {progress?.rows !== undefined && progress.totalRows ? ` of about ${formatNumber(progress.totalRows)}` : ""}
        </dd>
        {progress?.tablesTotal !== undefined ? (
          <>
            <dt>Tables</dt>
            <dd>
              {progress.tablesDone ?? 0} of {progress.tablesTotal}
              {progress.currentTable ? ` · ${progress.currentTable}` : ""}
            </dd>
          </>
        ) : null}
        <dt>Rate</dt>
        <dd>{formatRate(progress?.bytesPerSecond)}</dd>
        <dt>Time left</dt>
        <dd>{progress?.etaSeconds !== undefined ? formatClock(progress.etaSeconds * 1000) : "—"}</dd>
        {startedAt !== undefined ? (
          <>
            <dt>Elapsed</dt>
            <dd>{formatClock(now - startedAt)}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
