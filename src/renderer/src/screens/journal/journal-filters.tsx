import { useId, useState } from "react";
import { OUTCOMES } from "../../../../shared/api/journal-schemas.ts";

export type FilterFields = Record<"text" | "kind" | "outcome" | "incident" | "since" | "until", string>;
export const EMPTY_FILTER: FilterFields = { text: "", kind: "", outcome: "", incident: "", since: "", until: "" };

export function JournalFilters({ value, onApply }: { value: FilterFields; onApply: (f: FilterFields) => void }) {
  const [f, setF] = useState(value);
  const id = useId();
  const text = (key: keyof FilterFields, label: string, placeholder?: string) => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type="text"
        placeholder={placeholder}
        value={f[key]}
        onChange={(e) => setF({ ...f, [key]: e.target.value })}
      />
    </div>
  );
  return (
    <form
      className="stack"
      aria-label="Filter the journal"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(f);
      }}
    >
      <div className="form-grid">
        {text("text", "Search", "words in summary, kind, details")}
        {text("kind", "Kind", "backup. or neon.*")}
        <div className="field">
          <label htmlFor={`${id}-outcome`}>Outcome</label>
          <select id={`${id}-outcome`} value={f.outcome} onChange={(e) => setF({ ...f, outcome: e.target.value })}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        {text("incident", "Incident", "inc-…")}
        {text("since", "Since (UTC)", "2026-01-17T00:00:00Z")}
        {text("until", "Until (UTC)", "2026-01-18T00:00:00Z")}
      </div>
      <div className="row">
        <button type="submit" className="btn">
          Apply filters
        </button>
        <button
          type="button"
          className="btn quiet"
          onClick={() => {
            setF(EMPTY_FILTER);
            onApply(EMPTY_FILTER);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
