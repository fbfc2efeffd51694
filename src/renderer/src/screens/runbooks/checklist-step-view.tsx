import type { RunbookExecutor, StepState } from "../../../../shared/runbooks/runbook-executor.ts";
import type { ChecklistStep } from "../../../../shared/runbooks/runbook-types.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";

export function ChecklistStepView({
  run,
  step,
  state,
  active,
}: {
  run: RunbookExecutor;
  step: ChecklistStep;
  state: StepState;
  active: boolean;
}) {
  const ticked = state.ticked ?? [];
  return (
    <fieldset className="stack">
      <legend>
        {step.title}: {ticked.length} of {step.items.length} done
      </legend>
      {step.items.map(({ id, text }) => (
        <label key={id} className="check">
          {/* A tick is journaled and stays: un-ticking is ignored rather than greying the box out. */}
          <input
            type="checkbox"
            checked={ticked.includes(id)}
            disabled={!active && !ticked.includes(id)}
            onChange={() => active && !ticked.includes(id) && void run.tick(step.id, id)}
          />
          {text}
        </label>
      ))}
      {state.error ? <ErrorNotice error={state.error} title="A tick was not journaled" /> : null}
    </fieldset>
  );
}
