// One runbook in progress: its steps down the page, the RTO clock, contacts and escalation beside them; when done,
// closing the incident and exporting its timeline.
import { useSyncExternalStore } from "react";
import type { RunbookExecutor } from "../../../../shared/runbooks/runbook-executor.ts";
import { useApp } from "../../app-context.tsx";
import { ExportPanel } from "../../components/export-panel.tsx";
import { RtoClock } from "../../components/rto-clock.tsx";
import { serviceRestoredAt } from "../../lib/service-restored-at.ts";
import { StatusBadge } from "../../components/status-badge.tsx";
import { DetectedAtEditor } from "../incident/detected-at.tsx";
import { IncidentLog } from "../incident/incident-log.tsx";
import { LeftoversPanel } from "../incident/leftovers-panel.tsx";
import { ContactsPanel } from "./contacts-panel.tsx";
import { CloseIncidentPanel } from "./close-incident-panel.tsx";
import { StepCard } from "./step-card.tsx";

export function RunbookRunner({
  run,
  profile,
  rtoMinutes,
}: {
  run: RunbookExecutor;
  profile: string;
  rtoMinutes: number;
}) {
  const state = useSyncExternalStore(run.subscribe, run.getState);
  const { setRun } = useApp();
  const current = run.current();
  const remaining = run.remaining().length;
  const def = run.runbook;
  const restoredAt = serviceRestoredAt(run, state);
  return (
    <>
      <div className="screen-header">
        <h1>{def.title}</h1>
        {state.drill ? <StatusBadge tone="unknown" label="DRILL" /> : null}
        <span className="mono">{state.incidentId}</span>
        <span className="muted">
          expected {def.expectedMinutes[0]}–{def.expectedMinutes[1]} min
        </span>
      </div>
      <div className="split">
        <div className="stack">
          <ol className="step-list" aria-label="Runbook steps">
            {def.steps.map((s, i) => (
              <StepCard
                key={s.id}
                run={run}
                step={s}
                index={i}
                state={state.steps[s.id]!}
                active={state.phase === "in-progress" && current?.id === s.id}
                applies={run.applies(s)}
              />
            ))}
          </ol>
          {state.phase === "in-progress" || state.phase === "closing" ? (
            <CloseIncidentPanel run={run} remaining={remaining} profile={profile} />
          ) : null}
          {state.phase === "closed" ? (
            <section className="card stack" aria-label="Incident closed">
              <h2>
                {state.drill ? "Drill" : "Incident"} {state.incidentId} closed
              </h2>
              <LeftoversPanel profile={profile} incident={state.incidentId} reminder />
              <p>Export the timeline for the post-mortem. Every step above is in it, with who did it and when.</p>
              <ExportPanel incident={state.incidentId} label="Export the incident timeline" />
              <div>
                <button type="button" className="btn quiet" onClick={() => setRun(undefined)}>
                  Back to runbooks
                </button>
              </div>
            </section>
          ) : null}
        </div>
        <aside className="stack" aria-label="Incident">
          {state.openedAt ? (
            <RtoClock since={state.detectedAt ?? state.openedAt} rtoMinutes={rtoMinutes} stoppedAt={restoredAt} />
          ) : null}
          <DetectedAtEditor
            detectedAt={state.detectedAt}
            disabled={state.phase !== "in-progress"}
            onCorrect={(at, note) => run.correctDetectedAt(at, note)}
          />
          {state.incidentId ? <IncidentLog incident={state.incidentId} open={state.phase !== "closed"} /> : null}
          <ContactsPanel profile={profile} />
        </aside>
      </div>
    </>
  );
}
