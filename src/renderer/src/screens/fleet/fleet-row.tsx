import type { LastRun, ProfileFacts } from "../../../../shared/monitoring/monitoring-schemas.ts";
import type { NagiosState } from "../../../../shared/monitoring/monitoring-schemas.ts";
import { StatusBadge, type Tone } from "../../components/status-badge.tsx";
import { formatBytes, formatDuration, formatTime } from "../../../../shared/format.ts";
import { formatAge } from "../../lib/format.ts";

export const STATE_TONE: Record<NagiosState, Tone> = {
  OK: "ok",
  WARNING: "medium",
  CRITICAL: "critical",
  UNKNOWN: "unknown",
};

function When({ at }: { at: string | undefined }) {
  return at ? <span title={formatTime(at)}>{formatAge(at)}</span> : <span className="muted">never</span>;
}

function Run({ run }: { run: LastRun }) {
  const failed = run.status === "failed";
  return (
    <li>
      {run.job}: <strong className={failed ? "error" : undefined}>{run.status}</strong>{" "}
      <When at={run.finishedAt ?? run.startedAt} /> on <span className="mono">{run.machine.host}</span> (
      {run.machine.runner}){failed && run.error ? <span className="error"> — {run.error.message}</span> : null}
    </li>
  );
}

export function FleetRow({ p }: { p: ProfileFacts }) {
  const drill = p.jobs.drill;
  const runs = Object.values(p.jobs).filter((r): r is LastRun => !!r);
  return (
    <tr aria-label={`Profile ${p.profile}`} className={`tone-${STATE_TONE[p.state]}`}>
      <th scope="row">{p.profile}</th>
      <td>
        <StatusBadge tone={STATE_TONE[p.state]} label={p.state} />
      </td>
      <td>
        {p.lastBackup ? (
          <>
            <When at={p.lastBackup.finishedAt} />
            <div className="muted">{formatBytes(p.lastBackup.bytes)}</div>
          </>
        ) : p.store.reachable ? (
          <span className="error">none</span>
        ) : (
          <span className="muted">store unreachable</span>
        )}
      </td>
      <td>
        {p.lastTest ? (
          <>
            {p.lastTest.kind}{" "}
            <strong className={p.lastTest.ok ? undefined : "error"}>{p.lastTest.ok ? "passed" : "FAILED"}</strong>{" "}
            <When at={p.lastTest.at} />
          </>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td>
        {drill ? (
          <>
            <strong className={drill.status === "failed" ? "error" : undefined}>{drill.status}</strong>{" "}
            <When at={drill.finishedAt ?? drill.startedAt} />
            {drill.result?.rtoMs !== undefined ? (
              <div className="muted">RTO {formatDuration(drill.result.rtoMs)}</div>
            ) : null}
          </>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td>
        <When at={p.lastProvenRestore?.at} />
      </td>
      <td>
        {runs.length ? (
          <ul className="plain">
            {runs.map((r) => (
              <Run key={r.job} run={r} />
            ))}
          </ul>
        ) : (
          <span className="muted">none</span>
        )}
      </td>
      <td>{p.store.reachable ? formatBytes(p.store.bytes) : <span className="error">unreachable</span>}</td>
      <td>{p.alerts.length ? p.alerts.map((a) => a.title).join("; ") : <span className="muted">none</span>}</td>
    </tr>
  );
}
