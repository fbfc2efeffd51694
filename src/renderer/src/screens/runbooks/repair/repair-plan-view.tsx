// A repair plan in the console: per table, how many rows of each class (and why the table is in the plan), its drift
// and trigger warnings, a row-level drill-down with the decisions conflicts and inserted rows need, and the export.
import { useState } from "react";
import type { ErrorInfo } from "../../../../../shared/errors.ts";
import type { PlanHeader, TableRemaining } from "../../../../../shared/repair-plan.ts";
import { invoke } from "../../../api/invoke.ts";
import { ErrorNotice } from "../../../components/error-notice.tsx";
import { SentenceList } from "../../../components/sentence-list.tsx";
import { PlanRowsPanel } from "./plan-rows-panel.tsx";

function ExportPlan({ planId }: { planId: string }) {
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<ErrorInfo>();
  const run = async (format: "csv" | "json") => {
    setDone(undefined);
    setError(undefined);
    const r = await invoke("forensics.exportPlan", { planId, format });
    if (!r.ok) return setError(r.error);
    setDone(
      `Saved ${r.value.rows} row(s) as ${format.toUpperCase()}: ${r.value.file} (sha256 ${r.value.digest.slice(0, 16)}…)`,
    );
  };
  return (
    <div className="stack" role="group" aria-label="Export the plan">
      <div className="row">
        <button type="button" className="btn secondary" onClick={() => void run("csv")}>
          Export plan as CSV
        </button>
        <button type="button" className="btn secondary" onClick={() => void run("json")}>
          Export plan as JSON
        </button>
      </div>
      {done ? <p role="status">{done}</p> : null}
      {error ? <ErrorNotice error={error} title="Export failed" /> : null}
    </div>
  );
}

const num = (n: number) => n.toLocaleString("en");

export function RepairPlanView({ plan, label }: { plan: PlanHeader; label: string }) {
  const [open, setOpen] = useState<string>();
  const tables = [...plan.tables].sort((a, b) => a.order - b.order);
  return (
    <div className="stack" role="region" aria-label={label}>
      <p>
        Plan <code>{plan.planId}</code> ({plan.states} states). Rows to decide on: conflicts and rows the incident
        inserted; re-inserts and restores are applied as planned.
      </p>
      <table className="data" aria-label={`${label}: tables`}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Re-insert
            </th>
            <th scope="col" className="num">
              Restore
            </th>
            <th scope="col" className="num">
              Conflict
            </th>
            <th scope="col" className="num">
              Inserted
            </th>
            <th scope="col" className="num">
              Later (kept)
            </th>
            <th scope="col">Why</th>
            <th scope="col">Rows</th>
          </tr>
        </thead>
        <tbody>
          {tables.map((t) => (
            <tr key={t.table}>
              <td>{t.table}</td>
              {t.error ? (
                <td colSpan={5}>not planned: {t.error.message}</td>
              ) : (
                <>
                  <td className="num">{num(t.counts.reinsert)}</td>
                  <td className="num">{num(t.counts.restore)}</td>
                  <td className="num">{num(t.counts.conflict)}</td>
                  <td className="num">{num(t.counts.inserted)}</td>
                  <td className="num">{num(t.counts.later)}</td>
                </>
              )}
              <td className="muted">{t.reason}</td>
              <td>
                {t.counts.reinsert + t.counts.restore + t.counts.conflict + t.counts.inserted > 0 ? (
                  <RowsToggle table={t.table} open={open} setOpen={setOpen} label={`Rows of ${t.table}`} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SentenceList
        label="Warnings"
        items={[...plan.warnings, ...tables.flatMap((t) => t.warnings.map((w) => `${t.table}: ${w}`))]}
      />
      {open ? <PlanRowsPanel rowsPlanId={plan.planId} decidePlanId={plan.planId} table={open} /> : null}
      <ExportPlan planId={plan.planId} />
    </div>
  );
}

/** Opens (or closes) one table's drill-down; one table's rows are open at a time. */
function RowsToggle(p: { table: string; open: string | undefined; setOpen: (t?: string) => void; label: string }) {
  const shown = p.open === p.table;
  return (
    <button
      type="button"
      className="btn quiet"
      aria-expanded={shown}
      onClick={() => p.setOpen(shown ? undefined : p.table)}
    >
      {shown ? "Hide rows" : p.label}
    </button>
  );
}

/** What verify found: per table, damaged rows left without a decision; drill into them and decide. */
export function RepairRemainingView({
  result,
  label,
}: {
  result: { planId: string; verifyPlanId: string; tables: TableRemaining[]; undecided: number; green: boolean };
  label: string;
}) {
  const [open, setOpen] = useState<string>();
  return (
    <div className="stack" role="region" aria-label={label}>
      <table className="data" aria-label={`${label}: tables`}>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Unrepaired, undecided
            </th>
            <th scope="col" className="num">
              Left by decision
            </th>
            <th scope="col">Rows</th>
          </tr>
        </thead>
        <tbody>
          {result.tables.map((t) => (
            <tr key={t.table}>
              <td>{t.table}</td>
              <td className="num">{t.error ? `not compared: ${t.error}` : num(t.undecided)}</td>
              <td className="num">{num(t.decided)}</td>
              <td>
                {t.undecided + t.decided > 0 ? (
                  <RowsToggle table={t.table} open={open} setOpen={setOpen} label={`Remaining rows of ${t.table}`} />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? <PlanRowsPanel rowsPlanId={result.verifyPlanId} decidePlanId={result.planId} table={open} /> : null}
    </div>
  );
}
