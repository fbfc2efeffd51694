// The journal's filters: the search box always in view, the others one click away, so the list itself starts on the
// first screen at 700 px. The export panel exports exactly what these filters select.
import { useId, useState } from "react";
import { OUTCOMES } from "../../../../shared/api/journal-schemas.ts";

export type FilterFields = Record<"text" | "kind" | "outcome" | "incident" | "since" | "until", string>;
export const EMPTY_FILTER: FilterFields = { text: "", kind: "", outcome: "", incident: "", since: "", until: "" };

const MORE: (keyof FilterFields)[] = ["kind", "outcome", "incident", "since", "until"];

export function JournalFilters({ value, onApply }: { value: FilterFields; onApply: (f: FilterFields) => void }) {
  const [f, setF] = useState(value);
  const id = useId();
  const moreSet = MORE.filter((k) => value[k].trim()).length;
  const text = (key: keyof FilterFields, label: string, placeholder?: string) => (
    <div className={`field ${key === "text" ? "grow" : ""}`}>
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
      className="stack journal-filters"
      aria-label="Filter the journal"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(f);
      }}
    >
      <div className="row filter-bar">
        {text("text", "Search", "words in summary, kind, details")}
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
      <details open={moreSet > 0}>
        <summary>More filters{moreSet ? ` (${moreSet} set)` : ": kind, outcome, incident, time"}</summary>
        <div className="form-grid">
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
      </details>
    </form>
  );
}
