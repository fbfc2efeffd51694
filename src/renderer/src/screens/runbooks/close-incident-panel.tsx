import { useId, useState } from "react";
import type { RunbookExecutor } from "../../../../shared/runbooks/runbook-executor.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";

export function CloseIncidentPanel({ run, remaining }: { run: RunbookExecutor; remaining: number }) {
  const [resolution, setResolution] = useState("");
  const id = useId();
  const state = run.getState();
  return (
    <section className="card stack" aria-label="Close the incident">
      <h2>Close the incident</h2>
      {remaining > 0 ? (
        <div className="notice tone-warn" role="status">
          <strong>{remaining} step(s) not done</strong>
          <p>You can close now; the journal will show which steps were never done.</p>
        </div>
      ) : null}
      <div className="field">
        <label htmlFor={id}>Resolution</label>
        <textarea
          id={id}
          value={resolution}
          onChange={(e) => setResolution(e.target.value)}
          placeholder="What was wrong, what was done, what is left"
        />
      </div>
      {state.error ? <ErrorNotice error={state.error} title="The incident was not closed" /> : null}
      <div>
        <button
          type="button"
          className="btn"
          disabled={state.phase === "closing"}
          onClick={() => void run.close(resolution)}
        >
          Close incident
        </button>
      </div>
    </section>
  );
}
