// The restore wizard: source, target, pre-flight checks, progress, verification, next steps. Nothing is written before
// step 4, and production is reachable only through a typed confirmation in step 2.
import { useCallback, useEffect, useRef, useState } from "react";
import { useApp } from "../../app-context.tsx";
import { Card } from "../../components/card.tsx";
import { OperationPanel } from "../../components/operation-panel.tsx";
import { useOperation } from "../../hooks/use-operation.ts";
import { NextSteps } from "./next-steps.tsx";
import { PreflightStep } from "./preflight-step.tsx";
import { isProductionTarget, restoreRequest, targetValid, type RestorePlan } from "./restore-plan.ts";
import { RESTORE_STEPS, RestoreStepper } from "./restore-stepper.tsx";
import { RestoreScopeFields } from "./restore-scope.tsx";
import { SourceStep } from "./source-step.tsx";
import { TargetStep } from "./target-step.tsx";
import { VerificationStep, type RestoreOutcome } from "./verification-step.tsx";

export function RestoreScreen() {
  const { profile } = useApp();
  const [step, setStep] = useState(0);
  const [plan, setPlan] = useState<RestorePlan>({ source: undefined, target: undefined });
  const [ready, setReady] = useState(false);
  const [outcome, setOutcome] = useState<RestoreOutcome>();
  const restore = useOperation("restore.run");
  const branch = useOperation("neon.recoverTo");
  const inPlace = useOperation("neon.restore");
  const onReady = useCallback((ok: boolean) => setReady(ok), []);
  // After Next or Back the keyboard focus goes to the new step's heading, not back to the top of the page.
  const heading = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  useEffect(() => {
    if (moved.current) heading.current?.focus();
    moved.current = true;
  }, [step]);

  if (!profile) return <p>No profile selected. Add one under Settings.</p>;
  const op = plan.target?.kind === "neon-branch" ? branch : plan.target?.kind === "neon-in-place" ? inPlace : restore;

  const start = async () => {
    setStep(3);
    const { source, target } = plan;
    if (source?.kind === "backup") {
      const req = restoreRequest(profile, plan);
      if (!req) return;
      const r = await restore.run(req);
      if (r.ok) setOutcome({ kind: "backup", value: r.value });
    } else if (source?.kind === "neon" && target?.kind === "neon-branch") {
      const r = await branch.run({ profile: profile.name, point: { at: source.at }, branchName: target.branchName });
      if (r.ok) setOutcome({ kind: "neon-branch", value: r.value });
    } else if (source?.kind === "neon" && target?.kind === "neon-in-place") {
      const r = await inPlace.run({
        profile: profile.name,
        branch: target.branch,
        source: { at: source.at },
        confirm: target.confirm,
      });
      if (r.ok) setOutcome({ kind: "neon-in-place", value: r.value });
    }
  };
  const restart = () => {
    setPlan({ source: undefined, target: undefined });
    setOutcome(undefined);
    setStep(0);
  };

  const canNext =
    step === 0
      ? !!plan.source && (plan.source.kind === "backup" || plan.source.at.trim() !== "")
      : step === 1
        ? targetValid(plan, profile)
        : step === 4
          ? true
          : false;
  return (
    <>
      <div className="screen-header">
        <h1>Restore</h1>
        <span className="muted">{profile.name}</span>
      </div>
      <RestoreStepper current={step} />
      <Card title={`Step ${step + 1}: ${RESTORE_STEPS[step]}`} headingRef={heading}>
        <div className="stack">
          {step === 0 ? (
            <SourceStep
              profile={profile}
              source={plan.source}
              onChange={(source) => setPlan({ source, target: undefined })}
            />
          ) : null}
          {step === 1 && plan.source ? (
            <TargetStep
              profile={profile}
              source={plan.source}
              target={plan.target}
              onChange={(target) => setPlan({ ...plan, target })}
            />
          ) : null}
          {step === 1 && plan.source?.kind === "backup" && plan.target?.kind !== "neon-branch" ? (
            <RestoreScopeFields
              profile={profile.name}
              backupId={plan.source.id}
              scope={plan.scope ?? { what: "all" }}
              onChange={(scope) => setPlan({ ...plan, scope })}
            />
          ) : null}
          {step === 2 ? <PreflightStep profile={profile} plan={plan} onReady={onReady} /> : null}
          {step === 3 ? (
            <OperationPanel
              label="Restore"
              running={op.running}
              progress={op.progress}
              startedAt={op.startedAt}
              error={op.error}
              onCancel={op.cancel}
            >
              {outcome ? <p role="status">Restore finished. Continue to the verification.</p> : null}
            </OperationPanel>
          ) : null}
          {step === 4 && outcome ? <VerificationStep outcome={outcome} /> : null}
          {step === 5 ? <NextSteps outcome={outcome} onRestart={restart} /> : null}
          <div className="row">
            {step > 0 && step < 3 ? (
              <button type="button" className="btn quiet" onClick={() => setStep(step - 1)}>
                Back
              </button>
            ) : null}
            {step < 2 || step === 4 ? (
              <button type="button" className="btn" disabled={!canNext} onClick={() => setStep(step + 1)}>
                Next
              </button>
            ) : null}
            {step === 2 ? (
              <button
                type="button"
                className={`btn ${isProductionTarget(plan.target) ? "danger" : ""}`}
                disabled={!ready}
                onClick={start}
              >
                {isProductionTarget(plan.target) ? "Start restore into production" : "Start restore"}
              </button>
            ) : null}
            {step === 3 && !op.running && outcome ? (
              <button type="button" className="btn" onClick={() => setStep(4)}>
                Next
              </button>
            ) : null}
            {step === 3 && !op.running && op.error ? (
              <button type="button" className="btn quiet" onClick={() => setStep(2)}>
                Back to pre-flight checks
              </button>
            ) : null}
          </div>
        </div>
      </Card>
    </>
  );
}
