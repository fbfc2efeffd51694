import { useApp } from "../../app-context.tsx";
import type { RestoreOutcome } from "./verification-step.tsx";

export function NextSteps({ outcome, onRestart }: { outcome: RestoreOutcome | undefined; onRestart: () => void }) {
  const { go } = useApp();
  return (
    <div className="stack">
      <ol>
        {outcome?.kind === "backup" ? (
          <li>
            Point the application at the restored database once you have checked the data: DATABASE_URL ={" "}
            <span className="mono">{outcome.value.connection.uri}</span>, with the password from{" "}
            <span className="mono">{outcome.value.connection.passwordRef ?? "its secret store"}</span>.
          </li>
        ) : null}
        {outcome?.kind === "neon-branch" ? (
          <li>Inspect the recovery branch; copy rows back with Scenario 1, or point the application at it.</li>
        ) : null}
        {outcome?.kind === "neon-in-place" ? (
          <li>Restart the application so it reconnects; the previous state is kept as a branch if you need it back.</li>
        ) : null}
        <li>Smoke test the application endpoints.</li>
        <li>Work through the post-recovery checklist.</li>
        <li>Export the journal timeline for the post-mortem.</li>
      </ol>
      <div className="row">
        <button type="button" className="btn" onClick={() => go("runbooks", { runbook: "post-recovery-checklist" })}>
          Open the post-recovery checklist
        </button>
        <button type="button" className="btn secondary" onClick={() => go("journal")}>
          Review the journal
        </button>
        <button type="button" className="btn quiet" onClick={onRestart}>
          Start another restore
        </button>
      </div>
    </div>
  );
}
