import { formatDuration, formatTime } from "../../../../shared/format.ts";
import type { ResultOf } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { ExportPanel } from "../../components/export-panel.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { IncidentLog } from "../incident/incident-log.tsx";

type Report = ResultOf<"incidents.get">;

/** Every word the operators wrote, in full: runbook steps with what was recorded in them. */
function StepsList({ steps }: { steps: Report["steps"] }) {
  if (!steps.length) return null;
  return (
    <>
      <h3>Runbook steps</h3>
      <ul className="log-entries" aria-label="Runbook steps">
        {steps.map((st) => (
          <li key={st.seq}>
            <span className="muted">
              {formatTime(st.ts)} · {st.by} · {st.runbook} · {st.outcome}
            </span>
            <p className="words">
              <strong>{st.title}</strong>
              {st.value ? `: ${st.value}` : ""}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

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
        <span className="row">
          {r.drill ? <StatusBadge tone="unknown" label="DRILL" /> : null}
          <StatusBadge tone={r.status === "open" && !r.drill ? "critical" : "ok"} label={r.status.toUpperCase()} />
        </span>
      </div>
      <KeyValues
        items={[
          [r.drill ? "Drill" : "Incident", <span className="mono">{r.id}</span>],
          ["Severity / scenario", `${r.severity ?? "—"} / ${r.scenario ?? "—"}`],
          [
            "Detected",
            `${formatTime(r.detectedAt)}${r.detectedAtOriginal ? ` (corrected; first given as ${formatTime(r.detectedAtOriginal)})` : ""}`,
          ],
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
          ["Resolution", <span className="words">{r.resolution ?? "—"}</span>],
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
      <StepsList steps={r.steps} />
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
      <IncidentLog incident={r.id} open={r.status === "open"} />
      <div className="row">
        <button type="button" className="btn secondary" onClick={() => onShowRecords(r.id)}>
          Show this incident's records
        </button>
      </div>
      <ExportPanel incident={r.id} label="Export this incident's timeline" />
    </section>
  );
}
