import { formatTime } from "../../../../shared/format.ts";
import { useState } from "react";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { useApi } from "../../hooks/use-api.ts";
import { IncidentReportView } from "./incident-report-view.tsx";

export function IncidentsTab({ onShowRecords }: { onShowRecords: (id: string) => void }) {
  const q = useApi("incidents.list", {});
  const [open, setOpen] = useState<string>();
  const list = [...(q.data?.incidents ?? [])].reverse();
  return (
    <div className="stack">
      {q.error ? <ErrorNotice error={q.error} title="Incidents could not be read" /> : null}
      {q.data && list.length === 0 ? <p>No incidents recorded.</p> : null}
      {list.length ? (
        <table className="data" aria-label="Incidents">
          <thead>
            <tr>
              <th scope="col">Incident</th>
              <th scope="col">Title</th>
              <th scope="col">Severity</th>
              <th scope="col">Opened</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Records
              </th>
              <th scope="col">Report</th>
            </tr>
          </thead>
          <tbody>
            {list.map((i) => (
              <tr key={i.id}>
                <td className="mono">{i.id}</td>
                <td>
                  {i.drill ? <StatusBadge tone="unknown" label="DRILL" /> : null} {i.title ?? "—"}
                </td>
                <td>{i.severity ?? "—"}</td>
                <td className="nowrap">{formatTime(i.openedAt)}</td>
                <td>
                  {i.closedAt ? (
                    <StatusBadge tone="ok" label="CLOSED" />
                  ) : (
                    <StatusBadge tone={i.drill ? "unknown" : "critical"} label="OPEN" />
                  )}
                </td>
                <td className="num">{i.records}</td>
                <td>
                  <button
                    type="button"
                    className="btn quiet"
                    aria-label={`Open report of ${i.id}`}
                    aria-pressed={open === i.id}
                    onClick={() => setOpen(open === i.id ? undefined : i.id)}
                  >
                    Report
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {open ? <IncidentReportView id={open} onShowRecords={onShowRecords} /> : null}
    </div>
  );
}
