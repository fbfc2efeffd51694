import type { RunbookExecutor, StepState } from "../../../../shared/runbooks/runbook-executor.ts";
import type { ActionStep } from "../../../../shared/runbooks/runbook-types.ts";
import { resolveTemplate } from "../../../../shared/runbooks/template.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { ProgressBar } from "../../components/progress-bar.tsx";
import { TypedConfirm } from "../../components/typed-confirm.tsx";
import { useNow } from "../../hooks/use-now.ts";
import { useProgress } from "../../hooks/use-progress.ts";
import { ResultView } from "./result-view.tsx";
import { SkipControl } from "./skip-control.tsx";

export function ActionStepView({
  run,
  step,
  state,
  active,
}: {
  run: RunbookExecutor;
  step: ActionStep;
  state: StepState;
  active: boolean;
}) {
  const progress = useProgress(state.status === "running" ? state.operationId : undefined);
  const now = useNow(500);
  const running = state.status === "running";
  const expected = step.destructive ? String(resolveTemplate(step.destructive.confirmText, run.context()) ?? "") : "";
  return (
    <div className="stack">
      {active && !running && state.status !== "done" ? (
        step.destructive ? (
          <TypedConfirm
            title={step.title}
            warning={step.destructive.warning}
            expected={expected}
            inputLabel={step.destructive.confirmLabel}
            actionLabel={step.actionLabel}
            onConfirm={(typed) => void run.runAction(step.id, typed)}
          />
        ) : (
          <div>
            <button type="button" className="btn" onClick={() => void run.runAction(step.id)}>
              {state.status === "failed" ? `Retry: ${step.actionLabel}` : step.actionLabel}
            </button>
          </div>
        )
      ) : null}
      {running ? (
        step.progress ? (
          <ProgressBar
            label={step.title}
            progress={progress}
            startedAt={state.startedAt ? Date.parse(state.startedAt) : undefined}
            now={now}
          />
        ) : (
          <p role="status">Running…</p>
        )
      ) : null}
      {state.error ? (
        step.failureIsFinding && state.status === "done" ? (
          <div className="notice tone-warn" role="status">
            <strong>Finding: the call failed</strong>
            <p>{state.error.message}</p>
          </div>
        ) : (
          <ErrorNotice error={state.error} title={`${step.title}: failed`} />
        )
      ) : null}
      {state.failures?.length ? (
        <div className="notice tone-critical" role="alert">
          <strong>Not as it should be</strong>
          {state.failures.map((f) => (
            <p key={f}>{f}</p>
          ))}
        </div>
      ) : null}
      {state.result !== undefined
        ? (Array.isArray(step.show) ? step.show : [step.show]).map((view, i) => (
            <ResultView
              key={i}
              view={view}
              value={state.result}
              label={i === 0 ? `${step.title}: result` : `${step.title}: result ${i + 1}`}
              profile={String((run.context().profile as { name?: string } | undefined)?.name ?? "")}
            />
          ))
        : null}
      {active && step.redo && state.status === "failed" ? (
        <div>
          <button type="button" className="btn" onClick={() => void run.redo(step.redo!.step)}>
            {step.redo.label}
          </button>
        </div>
      ) : null}
      {active && (state.status === "failed" || (step.optional && state.status === "pending")) ? (
        <SkipControl label={`Skip: ${step.title}`} onSkip={(reason) => void run.skip(step.id, reason)} />
      ) : null}
    </div>
  );
}
