// A step where the operator records something: free text, a time, a choice, a confirmation. Defaults come from what
// earlier steps found (e.g. the suggested recovery point), and the operator can change them.
import { useId, useState } from "react";
import type { RunbookExecutor, StepState } from "../../../../shared/runbooks/runbook-executor.ts";
import type { RecordField, RecordStep } from "../../../../shared/runbooks/runbook-types.ts";
import { resolveTemplate } from "../../../../shared/runbooks/template.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { formatValue } from "../../components/format-value.tsx";

function initial(field: RecordField, run: RunbookExecutor): unknown {
  if (field.type === "checkbox") return false;
  const d =
    "default" in field && field.default !== undefined ? resolveTemplate(field.default, run.context()) : undefined;
  return d === undefined || d === null ? "" : String(d);
}

function Field({ field, value, onChange }: { field: RecordField; value: unknown; onChange: (v: unknown) => void }) {
  const id = useId();
  if (field.type === "checkbox") {
    return (
      <label className="check">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        {field.label}
      </label>
    );
  }
  if (field.type === "choice") {
    return (
      <fieldset>
        <legend>{field.label}</legend>
        <div className="choice-list">
          {field.options.map((o) => (
            <label key={o.value} className="choice">
              <input type="radio" name={id} checked={value === o.value} onChange={() => onChange(o.value)} />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {field.type === "text" && field.multiline ? (
        <textarea id={id} value={String(value)} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input
          id={id}
          type="text"
          spellCheck={field.type !== "timestamp"}
          placeholder={
            field.type === "timestamp" ? "2026-01-17T14:29:59Z" : field.type === "text" ? field.placeholder : undefined
          }
          value={String(value)}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {field.type === "timestamp" ? (
        <button
          type="button"
          className="btn quiet"
          style={{ justifySelf: "start" }}
          onClick={() => onChange(new Date().toISOString().slice(0, 19) + "Z")}
        >
          Now: {field.label}
        </button>
      ) : null}
    </div>
  );
}

export function RecordStepView({
  run,
  step,
  state,
  active,
}: {
  run: RunbookExecutor;
  step: RecordStep;
  state: StepState;
  active: boolean;
}) {
  const [values, setValues] = useState<Record<string, unknown>>(() =>
    Object.fromEntries(step.fields.map((f) => [f.name, initial(f, run)])),
  );
  if (state.status === "done" && state.values) {
    const shown = (f: RecordField, v: unknown) =>
      f.type === "choice" ? (f.options.find((o) => o.value === v)?.label ?? v) : v;
    return (
      <KeyValues
        label={`${step.title}: recorded`}
        items={step.fields.map((f) => [
          f.label,
          formatValue(
            shown(f, state.values![f.name]),
            f.type === "checkbox" ? "boolean" : f.type === "timestamp" ? "datetime" : "text",
          ),
        ])}
      />
    );
  }
  if (!active) return null;
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        void run.submit(step.id, values);
      }}
    >
      {step.fields.map((f) => (
        <Field key={f.name} field={f} value={values[f.name]} onChange={(v) => setValues({ ...values, [f.name]: v })} />
      ))}
      {state.error ? <ErrorNotice error={state.error} title="Not recorded" /> : null}
      <div>
        <button type="submit" className="btn">
          {step.submitLabel}
        </button>
      </div>
    </form>
  );
}
