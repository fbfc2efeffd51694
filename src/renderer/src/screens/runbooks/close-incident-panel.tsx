import { useId, useState } from "react";
import type { RunbookExecutor } from "../../../../shared/runbooks/runbook-executor.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { LeftoversPanel } from "../incident/leftovers-panel.tsx";

export function CloseIncidentPanel({
  run,
  remaining,
  profile,
}: {
  run: RunbookExecutor;
  remaining: number;
  profile: string;
}) {
  const [resolution, setResolution] = useState("");
  const [reason, setReason] = useState("");
  const id = useId();
  const reasonId = useId();
  const state = run.getState();
  // The engine refuses to close over damage the repair left; then the operator may say why, and the post-mortem shows it.
  const damageLeft = state.error?.code === "DAMAGE_REMAINS";
  return (
    <section className="card stack" aria-label="Close the incident">
      <h2>Close the {state.drill ? "drill" : "incident"}</h2>
      {remaining > 0 ? (
        <div className="notice tone-warn" role="status">
          <strong>{remaining} step(s) not done</strong>
          <p>You can close now; the journal will show which steps were never done.</p>
        </div>
      ) : null}
      <LeftoversPanel profile={profile} incident={state.incidentId} />
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
      {damageLeft ? (
        <div className="field">
          <label htmlFor={reasonId}>Reason to close with unrepaired damage</label>
          <textarea
            id={reasonId}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Why these rows stay as they are; the post-mortem shows this"
          />
        </div>
      ) : null}
      <div>
        <button
          type="button"
          className="btn"
          disabled={state.phase === "closing"}
          onClick={() => void run.close(resolution, damageLeft ? reason : undefined)}
        >
          {state.drill ? "Close drill" : "Close incident"}
        </button>
      </div>
    </section>
  );
}
