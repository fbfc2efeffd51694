import { RUNBOOKS } from "../../../../shared/runbooks/all-runbooks.ts";
import type { RunbookDefinition } from "../../../../shared/runbooks/runbook-types.ts";

export function RunbookList({ onChoose }: { onChoose: (def: RunbookDefinition) => void }) {
  return (
    <div className="grid">
      {RUNBOOKS.map((r) => (
        <section key={r.id} className="card stack" aria-label={r.title}>
          <h2>{r.title}</h2>
          <p>{r.summary}</p>
          <div>
            <strong>You may see:</strong>
            <ul>
              {r.detection.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          </div>
          <p className="muted">
            {r.steps.length} steps · usually {r.expectedMinutes[0]}–{r.expectedMinutes[1]} min · {r.defaultSeverity}
          </p>
          <div>
            <button type="button" className="btn" onClick={() => onChoose(r)} aria-label={`Start ${r.title}`}>
              Start
            </button>
          </div>
        </section>
      ))}
    </div>
  );
}
