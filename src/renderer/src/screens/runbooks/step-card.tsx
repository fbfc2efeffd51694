import type { RunbookExecutor, StepState } from "../../../../shared/runbooks/runbook-executor.ts";
import type { RunbookStep } from "../../../../shared/runbooks/runbook-types.ts";
import { StatusBadge, type Tone } from "../../components/status-badge.tsx";
import { ActionStepView } from "./action-step-view.tsx";
import { ChecklistStepView } from "./checklist-step-view.tsx";
import { RecordStepView } from "./record-step-view.tsx";
import { StepReference } from "./step-reference.tsx";

const STATUS: Record<StepState["status"], [Tone, string]> = {
  pending: ["unknown", "TO DO"],
  running: ["warn", "RUNNING"],
  done: ["ok", "DONE"],
  failed: ["critical", "FAILED"],
  skipped: ["unknown", "SKIPPED"],
};

export function StepCard({
  run,
  step,
  index,
  state,
  active,
  applies,
}: {
  run: RunbookExecutor;
  step: RunbookStep;
  index: number;
  state: StepState;
  active: boolean;
  applies: boolean;
}) {
  const [tone, word] = applies ? STATUS[state.status] : (["unknown", "NOT APPLICABLE"] as [Tone, string]);
  const open = active || state.status === "done" || state.status === "failed";
  return (
    <li
      className={`step-card ${active ? "active" : ""} ${applies ? "" : "not-applicable"}`}
      aria-current={active ? "step" : undefined}
    >
      <section aria-label={`Step ${index + 1}: ${step.title}`} className="stack">
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h3>
            {index + 1}. {step.title}
          </h3>
          <div className="row">
            {state.journaled === false ? <StatusBadge tone="high" label="NOT JOURNALED" /> : null}
            <StatusBadge tone={tone} label={word} />
          </div>
        </div>
        {active ? <p>{step.guidance}</p> : null}
        {active && step.reference ? <StepReference text={step.reference} /> : null}
        {state.status === "skipped" ? <p className="muted">Skipped: {state.skipReason}</p> : null}
        {open && applies ? (
          step.kind === "action" ? (
            <ActionStepView run={run} step={step} state={state} active={active} />
          ) : step.kind === "record" ? (
            <RecordStepView run={run} step={step} state={state} active={active} />
          ) : (
            <ChecklistStepView run={run} step={step} state={state} active={active} />
          )
        ) : null}
      </section>
    </li>
  );
}
