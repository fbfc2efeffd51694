import { formatDuration, formatTime } from "../../../../shared/format.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { ExportPanel } from "../../components/export-panel.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";

export function IncidentReportView({ id, onShowRecords }: { id: string; onShowRecords: (id: string) => void }) {
  const q = useApi("incidents.get", { id });
  const r = q.data;
  if (q.error) return <ErrorNotice error={q.error} title={`Incident ${id} could not be read`} />;
  if (!r) return <p>Loading incident…</p>;
  const met = (m: boolean | undefined) =>
    m === undefined ? (
      <StatusBadge tone="unknown" label="OPEN" />
    ) : m ? (
      <StatusBadge tone="ok" label="MET" />
    ) : (
      <StatusBadge tone="critical" label="MISSED" />
    );
  return (
    <section className="card stack" aria-label={`Incident ${id}`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2>{r.title}</h2>
        <StatusBadge tone={r.status === "open" ? "critical" : "ok"} label={r.status.toUpperCase()} />
      </div>
      <KeyValues
        items={[
          ["Incident", <span className="mono">{r.id}</span>],
          ["Severity / scenario", `${r.severity ?? "—"} / ${r.scenario ?? "—"}`],
          ["Opened", formatTime(r.openedAt)],
          ["Service restored", formatTime(r.serviceRestoredAt)],
          ["Closed", formatTime(r.closedAt)],
          [
            "RTO",
            <span className="row">
              {met(r.rto.met)} {formatDuration(r.rto.achievedMs ?? r.rto.elapsedMs)} of {r.targets.rtoMinutes} min
            </span>,
          ],
          [
            "RPO",
            <span className="row">
              {met(r.rpo.met)} {r.rpo.achievedMs !== undefined ? formatDuration(r.rpo.achievedMs) : "—"} of{" "}
              {r.targets.rpoMinutes} min{" "}
              {r.rpo.recoveryPoint ? `(recovery point ${formatTime(r.rpo.recoveryPoint)})` : ""}
            </span>,
          ],
          ["Resolution", r.resolution ?? "—"],
        ]}
      />
      <h3>Checklist</h3>
      <ul className="check-list" aria-label="Post-recovery checklist">
        {r.checklist.map((c) => (
          <li key={c.id}>
            <StatusBadge tone={c.done ? "ok" : "unknown"} label={c.done ? "DONE" : "OPEN"} /> {c.item}{" "}
            {c.at ? <span className="muted">{formatTime(c.at)}</span> : null}
          </li>
        ))}
      </ul>
      {r.decisions.length ? (
        <>
          <h3>Decisions</h3>
          <ul>
            {r.decisions.map((n) => (
              <li key={n.seq}>
                {formatTime(n.ts)} — {n.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Operations</h3>
      <table className="data" aria-label="Operations">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Kind</th>
            <th scope="col">Outcome</th>
            <th scope="col">Took</th>
            <th scope="col">Summary</th>
          </tr>
        </thead>
        <tbody>
          {r.operations.map((o) => (
            <tr key={o.seq}>
              <td className="nowrap">{formatTime(o.startedAt)}</td>
              <td className="mono">{o.kind}</td>
              <td>{o.outcome}</td>
              <td>{formatDuration(o.durationMs)}</td>
              <td>{o.error ?? o.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" className="btn secondary" onClick={() => onShowRecords(r.id)}>
          Show this incident's records
        </button>
      </div>
      <ExportPanel incident={r.id} label="Export this incident's timeline" />
    </section>
  );
}
