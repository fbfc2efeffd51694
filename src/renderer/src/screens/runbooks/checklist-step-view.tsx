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
      {step.items.map((item) => (
        <label key={item} className="check">
          {/* A tick is journaled and stays: un-ticking is ignored rather than greying the box out. */}
          <input
            type="checkbox"
            checked={ticked.includes(item)}
            disabled={!active && !ticked.includes(item)}
            onChange={() => active && !ticked.includes(item) && void run.tick(step.id, item)}
          />
          {item}
        </label>
      ))}
      {state.error ? <ErrorNotice error={state.error} title="A tick was not journaled" /> : null}
    </fieldset>
  );
}
