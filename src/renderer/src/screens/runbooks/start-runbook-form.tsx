// Starting a runbook opens an incident. If one is already open, the operator may continue inside it instead.
import { SEVERITIES, SEVERITY_MEANINGS, type Severity } from "../../../../shared/incident.ts";
import { useId, useState } from "react";
import type { Profile } from "../../../../shared/config.ts";
import { RunbookExecutor } from "../../../../shared/runbooks/runbook-executor.ts";
import type { RunbookDefinition } from "../../../../shared/runbooks/runbook-types.ts";
import { invoke, invokeUntyped } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";

const SEVERITY_CHOICES = SEVERITIES.map((value) => ({ value, label: `${value}: ${SEVERITY_MEANINGS[value]}` }));

export function StartRunbookForm({
  def,
  profile,
  onStarted,
  onCancel,
}: {
  def: RunbookDefinition;
  profile: Profile;
  onStarted: (run: RunbookExecutor) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [title, setTitle] = useState(def.title);
  const [severity, setSeverity] = useState<Severity>(def.defaultSeverity);
  const [detectedAt, setDetectedAt] = useState("");
  // The weekly test is a drill; practising a scenario on the sandbox is one when the operator ticks it.
  const [drill, setDrill] = useState(def.scenario === "backup-test");
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<RunbookExecutor>();
  const error = run?.getState().error;

  const start = async (attach?: boolean) => {
    setBusy(true);
    const ex = attach && run ? run : new RunbookExecutor(def, { invoke: invokeUntyped, profile });
    let attachTo: { id: string; openedAt: string } | undefined;
    if (attach) {
      const list = await invoke("incidents.list", {});
      const current = list.ok ? list.value.incidents.find((i) => i.id === list.value.current) : undefined;
      if (current)
        attachTo = {
          id: current.id,
          openedAt: current.openedAt ?? new Date().toISOString(),
          ...(current.detectedAt ? { detectedAt: current.detectedAt } : {}),
          ...(current.drill ? { drill: true } : {}),
        };
    }
    const ok = await ex.start({
      title,
      severity,
      drill,
      ...(detectedAt.trim() ? { detectedAt: detectedAt.trim() } : {}),
      ...(attachTo ? { attachTo } : {}),
    });
    setBusy(false);
    setRun(ex);
    if (ok) onStarted(ex);
  };

  return (
    <form
      className="card stack"
      aria-label={`Start ${def.title}`}
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <h2>Start: {def.title}</h2>
      <p>
        Starting opens an incident in the journal. Every step you take is recorded against it, and the RTO clock runs
        from when the problem was detected (now, unless you say otherwise below).
      </p>
      <div className="form-grid">
        <div className="field" style={{ gridColumn: "span 2" }}>
          <label htmlFor={`${id}-t`}>Incident title</label>
          <input id={`${id}-t`} type="text" value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-d`}>Detected at (UTC, ISO 8601; empty = now)</label>
          <input
            id={`${id}-d`}
            type="text"
            spellCheck={false}
            placeholder="2026-01-17T14:36:00Z"
            value={detectedAt}
            onChange={(e) => setDetectedAt(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-s`}>Severity</label>
          <select id={`${id}-s`} value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
            {SEVERITY_CHOICES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={drill} onChange={(e) => setDrill(e.target.checked)} />
        This is a drill (a test or practice), not a real incident
      </label>
      <p className="muted">Profile: {profile.name}</p>
      {error ? <ErrorNotice error={error} title="The incident was not opened" /> : null}
      <div className="row">
        <button type="submit" className="btn" disabled={busy || !title.trim()}>
          Open incident and start
        </button>
        {error?.code === "INCIDENT_ALREADY_OPEN" ? (
          <button type="button" className="btn secondary" disabled={busy} onClick={() => void start(true)}>
            Continue in the open incident
          </button>
        ) : null}
        <button type="button" className="btn quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
