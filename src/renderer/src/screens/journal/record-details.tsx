import { formatDuration, formatTime } from "../../../../shared/format.ts";
import { useApi } from "../../hooks/use-api.ts";
import { KeyValues } from "../../components/key-values.tsx";
import { recordText } from "../../../../shared/journal/record-text.ts";

export function RecordDetails({ seq, onClose }: { seq: number; onClose: () => void }) {
  const q = useApi("journal.get", { seq });
  const r = q.data;
  const words = r ? recordText(r) : undefined;
  return (
    <section className="card stack" aria-label={`Record ${seq}`}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2>Record #{seq}</h2>
        <button type="button" className="btn quiet" onClick={onClose}>
          Close record
        </button>
      </div>
      {r ? (
        <>
          <KeyValues
            items={[
              ["Time", formatTime(r.ts)],
              ["Who", `${r.actor.user}@${r.actor.host}`],
              ["Kind", <span className="mono">{r.kind}</span>],
              ["Outcome", r.outcome],
              ["Summary", <span className="words">{r.summary}</span>],
              ...(r.incident
                ? ([["Incident", <span className="mono">{r.incident}</span>]] as [string, React.ReactNode][])
                : []),
              ...(r.profile ? ([["Profile", r.profile]] as [string, React.ReactNode][]) : []),
              ...(r.durationMs !== undefined
                ? ([["Duration", formatDuration(r.durationMs)]] as [string, React.ReactNode][])
                : []),
              ["Hash", <span className="mono">{r.hash}</span>],
              ["Previous", <span className="mono">{r.prev}</span>],
            ]}
          />
          {words ? (
            <>
              <h3>Full text</h3>
              <p className="words full-text">{words}</p>
            </>
          ) : null}
          <h3>Details</h3>
          <pre className="wrap">{JSON.stringify(r.details, null, 2)}</pre>
        </>
      ) : q.loading ? (
        <p>Loading…</p>
      ) : (
        <p>No such record.</p>
      )}
    </section>
  );
}
