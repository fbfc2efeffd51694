// The drill-down of a repair plan: one table's damaged rows, column by column (before / damaged / now side by side),
// with the decisions a conflict or an incident-inserted row needs. Decisions go straight to the engine (journaled
// there) and the page reloads to show them.
import { useId, useState } from "react";
import type { ErrorInfo } from "../../../../../shared/errors.ts";
import type { Decision, PlanEntry } from "../../../../../shared/repair-plan.ts";
import { invoke } from "../../../api/invoke.ts";
import { ErrorNotice } from "../../../components/error-notice.tsx";
import { useApi } from "../../../hooks/use-api.ts";

const PAGE = 25;
const CLASS_LABEL: Record<PlanEntry["class"], string> = {
  reinsert: "re-insert",
  restore: "restore",
  conflict: "conflict",
  inserted: "inserted by the incident",
};

function show(v: unknown): string {
  return v === null || v === undefined ? "NULL" : String(v);
}

function RowValues({ e }: { e: PlanEntry }) {
  if (e.columns.length === 0) {
    const row = e.class === "reinsert" ? e.before : e.now;
    return <code className="muted">{row ? JSON.stringify(row).slice(0, 240) : "(absent)"}</code>;
  }
  const two = e.damaged === undefined;
  return (
    <table className="data" aria-label={`${e.table} ${e.key.join(",")}: columns`}>
      <thead>
        <tr>
          <th scope="col">Column</th>
          <th scope="col">Before</th>
          {two ? null : <th scope="col">Damaged</th>}
          <th scope="col">Now</th>
        </tr>
      </thead>
      <tbody>
        {e.columns.map((c) => (
          <tr key={c}>
            <td>{c}</td>
            <td>{show(e.before?.[c])}</td>
            {two ? null : <td>{e.damaged ? show(e.damaged[c]) : "(absent)"}</td>}
            <td>{e.now ? show(e.now[c]) : "(absent)"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Decide({ e, decide }: { e: PlanEntry; decide: (d: Omit<Decision, "table" | "key">) => void }) {
  const [cols, setCols] = useState<string[]>([]);
  const name = `${e.table} ${e.key.join(",")}`;
  if (e.class === "inserted")
    return (
      <div className="row">
        <button
          type="button"
          className="btn quiet"
          onClick={() => decide({ choice: "keep" })}
          aria-label={`Keep ${name}`}
        >
          Keep
        </button>
        <button
          type="button"
          className="btn quiet"
          onClick={() => decide({ choice: "remove" })}
          aria-label={`Remove ${name}`}
        >
          Remove
        </button>
      </div>
    );
  if (e.class !== "conflict") return null;
  return (
    <div className="row">
      <button
        type="button"
        className="btn quiet"
        onClick={() => decide({ choice: "keep-now" })}
        aria-label={`Keep now ${name}`}
      >
        Keep now
      </button>
      <button
        type="button"
        className="btn quiet"
        onClick={() => decide({ choice: "take-before" })}
        aria-label={`Take before ${name}`}
      >
        Take before
      </button>
      {e.now && e.columns.length > 1 ? (
        <>
          {e.columns.map((c) => (
            <label key={c}>
              <input
                type="checkbox"
                checked={cols.includes(c)}
                onChange={(ev) => setCols(ev.target.checked ? [...cols, c] : cols.filter((x) => x !== c))}
              />{" "}
              before {c}
            </label>
          ))}
          <button
            type="button"
            className="btn quiet"
            disabled={cols.length === 0}
            onClick={() => decide({ choice: "per-column", takeBefore: cols })}
            aria-label={`Take the checked columns ${name}`}
          >
            Take checked
          </button>
        </>
      ) : null}
    </div>
  );
}

/** Rows of `table` in plan `rowsPlanId`; decisions are recorded on `decidePlanId` (the plan being repaired). */
export function PlanRowsPanel({
  rowsPlanId,
  decidePlanId,
  table,
}: {
  rowsPlanId: string;
  decidePlanId: string;
  table: string;
}) {
  const [offset, setOffset] = useState(0);
  const [cls, setCls] = useState<PlanEntry["class"] | "">("");
  const [error, setError] = useState<ErrorInfo>();
  const filterId = useId();
  // One page at a time, each with its own rows' decisions on the plan being repaired (paged on the server).
  const rows = useApi("forensics.planRows", {
    planId: rowsPlanId,
    ...(decidePlanId !== rowsPlanId ? { decisionsOf: decidePlanId } : {}),
    table,
    offset,
    limit: PAGE,
    ...(cls ? { class: cls } : {}),
  });
  const decided = new Map(rows.data?.rows.map((r) => [JSON.stringify(r.entry.key), r.decision]) ?? []);
  const decide = async (e: PlanEntry, d: Omit<Decision, "table" | "key">) => {
    setError(undefined);
    const r = await invoke("forensics.decide", {
      planId: decidePlanId,
      decisions: [{ table: e.table, key: e.key, ...d }],
    });
    if (!r.ok) setError(r.error);
    rows.reload();
  };
  if (rows.error) return <ErrorNotice error={rows.error} title="The plan's rows could not be read" />;
  if (!rows.data) return <p role="status">Loading rows…</p>;
  const total = rows.data.total;
  return (
    <div className="stack" role="region" aria-label={`Rows of ${table}`}>
      <div className="field">
        <label htmlFor={filterId}>Show</label>
        <select
          id={filterId}
          value={cls}
          onChange={(ev) => {
            setCls(ev.target.value as PlanEntry["class"] | "");
            setOffset(0);
          }}
        >
          <option value="">every damaged row</option>
          <option value="conflict">conflicts</option>
          <option value="inserted">inserted by the incident</option>
          <option value="reinsert">re-inserts</option>
          <option value="restore">restores</option>
        </select>
      </div>
      {error ? <ErrorNotice error={error} title="The decision was not recorded" /> : null}
      {rows.data.rows.map(({ entry: e }) => {
        const d = decided.get(JSON.stringify(e.key));
        return (
          <div key={JSON.stringify(e.key)} className="card stack" aria-label={`Row ${e.table} ${e.key.join(",")}`}>
            <div className="row">
              <strong>{e.key.join(", ")}</strong>
              <span className="badge">{CLASS_LABEL[e.class]}</span>
              {e.note ? <span className="muted">{e.note}</span> : null}
              {d ? (
                <span className="badge tone-ok" role="status">
                  decided: {d.choice}
                  {d.takeBefore ? ` (${d.takeBefore.join(", ")})` : ""}
                </span>
              ) : null}
            </div>
            <RowValues e={e} />
            <Decide e={e} decide={(x) => void decide(e, x)} />
          </div>
        );
      })}
      <div className="row">
        <span className="muted">
          {total === 0 ? "No damaged rows." : `Rows ${offset + 1}–${Math.min(offset + PAGE, total)} of ${total}`}
        </span>
        <button
          type="button"
          className="btn quiet"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE))}
        >
          Previous
        </button>
        <button
          type="button"
          className="btn quiet"
          disabled={offset + PAGE >= total}
          onClick={() => setOffset(offset + PAGE)}
        >
          Next
        </button>
      </div>
    </div>
  );
}
