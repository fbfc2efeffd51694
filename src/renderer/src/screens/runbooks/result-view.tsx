// Draws an action's result the way its runbook step says to.
import type { ResultView as View } from "../../../../shared/runbooks/runbook-types.ts";
import { getPath } from "../../../../shared/runbooks/template.ts";
import type { TableComparison } from "../../../../shared/api/channels/backup-channels.ts";
import { CountsTable } from "../../components/counts-table.tsx";
import { formatValue } from "../../components/format-value.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { SentenceList } from "../../components/sentence-list.tsx";
import type { PlanHeader } from "../../../../shared/repair-plan.ts";
import { RepairPlanView, RepairRemainingView } from "./repair/repair-plan-view.tsx";
import { CopyConnection } from "./copy-connection.tsx";
import { Verdict, type VerdictCheck } from "../../components/verdict.tsx";

const MAX_ROWS = 200;

export function ResultView({
  view,
  value,
  label,
  profile,
}: {
  view: View;
  value: unknown;
  label: string;
  /** The run's profile, for views that call the engine again (the connection-string copy buttons). */
  profile?: string;
}) {
  switch (view.kind) {
    case "fields":
      return (
        <KeyValues
          label={label}
          items={view.fields
            .filter((f) => getPath(value, f.path) !== undefined)
            .map((f) => [f.label, formatValue(getPath(value, f.path), f.format)])}
        />
      );
    case "table": {
      const rows = (getPath(value, view.path) as Record<string, unknown>[] | undefined) ?? [];
      if (!rows.length) return <p>{view.empty}</p>;
      return (
        <div className="table-scroll">
          <table className="data" aria-label={label}>
            <thead>
              <tr>
                {view.columns.map((c) => (
                  <th
                    key={c.path}
                    scope="col"
                    className={c.format === "number" || c.format === "bytes" ? "num" : undefined}
                  >
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, MAX_ROWS).map((r, i) => (
                <tr key={i}>
                  {view.columns.map((c) => (
                    <td key={c.path} className={c.format === "number" || c.format === "bytes" ? "num" : undefined}>
                      {formatValue(getPath(r, c.path), c.format)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > MAX_ROWS ? (
            <p className="muted">
              The first {MAX_ROWS} of {rows.length} rows are shown; every row is in this step&apos;s journal record and
              in the exports.
            </p>
          ) : null}
        </div>
      );
    }
    case "counts": {
      const tables = getPath(value, view.path) as TableComparison[] | undefined;
      return tables ? <CountsTable tables={tables} label={label} /> : <p>No counts.</p>;
    }
    case "list":
      return <SentenceList label={view.label} items={(getPath(value, view.path) as unknown[] | undefined) ?? []} />;
    case "download":
      return <p>{view.label}</p>;
    case "message":
      return <p>{view.text}</p>;
    case "repair-plan": {
      const plan = getPath(value, view.path) as PlanHeader | undefined;
      return plan ? <RepairPlanView plan={plan} label={label} /> : <p>No plan.</p>;
    }
    case "branch-connection": {
      const branch = getPath(value, view.path);
      return typeof branch === "string" && profile ? (
        <CopyConnection profile={profile} branch={branch} label={`${label}: connection strings`} />
      ) : null;
    }
    case "repair-remaining":
      return (
        <RepairRemainingView result={value as Parameters<typeof RepairRemainingView>[0]["result"]} label={label} />
      );
    case "verdict": {
      const v = (view.path ? getPath(value, view.path) : value) as
        { pass?: boolean; reason?: string; checks?: VerdictCheck[] } | undefined;
      return v?.reason !== undefined ? (
        <Verdict pass={!!v.pass} reason={v.reason} {...(v.checks ? { checks: v.checks } : {})} />
      ) : (
        <p>No verdict.</p>
      );
    }
  }
}
