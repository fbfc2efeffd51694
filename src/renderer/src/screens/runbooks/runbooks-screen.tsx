import { useState } from "react";
import { findRunbook } from "../../../../shared/runbooks/all-runbooks.ts";
import type { RunbookDefinition } from "../../../../shared/runbooks/runbook-types.ts";
import { useApp } from "../../app-context.tsx";
import { RunbookList } from "./runbook-list.tsx";
import { RunbookRunner } from "./runbook-runner.tsx";
import { StartRunbookForm } from "./start-runbook-form.tsx";

export function RunbooksScreen() {
  const { profile, run, setRun, params } = useApp();
  const [choosing, setChoosing] = useState<RunbookDefinition | undefined>(() =>
    params.runbook ? findRunbook(params.runbook) : undefined,
  );
  if (!profile) return <p>No profile selected. Add one under Settings.</p>;
  if (run) return <RunbookRunner run={run} profile={profile.name} rtoMinutes={profile.targets.rtoMinutes} />;
  return (
    <>
      <div className="screen-header">
        <h1>Runbooks</h1>
        <span className="muted">
          Step-by-step recovery guides from the recovery plan. Practise them on the sandbox.
        </span>
      </div>
      {choosing ? (
        <StartRunbookForm
          def={choosing}
          profile={profile}
          onCancel={() => setChoosing(undefined)}
          onStarted={(ex) => {
            setChoosing(undefined);
            setRun(ex);
          }}
        />
      ) : (
        <RunbookList onChoose={setChoosing} />
      )}
    </>
  );
}
