import { formatDuration, formatTime } from "../../../../shared/format.ts";
import type { ResultOf } from "../../api/invoke.ts";
import { CountsTable } from "../../components/counts-table.tsx";
import { KeyValues } from "../../components/key-values.tsx";
import { SentenceList } from "../../components/sentence-list.tsx";
import { StatusBadge } from "../../components/status-badge.tsx";
import { ConnectionDetails } from "./connection-details.tsx";
import { formatNumber } from "../../lib/format.ts";

export type RestoreOutcome =
  | { kind: "backup"; value: ResultOf<"restore.run"> }
  | { kind: "neon-branch"; value: ResultOf<"neon.recoverTo"> }
  | { kind: "neon-in-place"; value: ResultOf<"neon.restore"> };

export function VerificationStep({ outcome }: { outcome: RestoreOutcome }) {
  if (outcome.kind === "backup") {
    const v = outcome.value;
    return (
      <div className="stack">
        <KeyValues
          items={[
            ["Restored into", <span className="mono">{`${v.host} / ${v.database}`}</span>],
            ["Database", v.created ? "created for this restore" : "existing, was empty"],
            ["Rows", formatNumber(v.rows)],
            ["Took", formatDuration(v.durationMs)],
          ]}
        />
        <CountsTable tables={v.tables} label="Row counts against the manifest" />
        <SentenceList label="Needs doing" items={v.warnings} />
        <ConnectionDetails c={v.connection} />
      </div>
    );
  }
  const b = outcome.value.branch;
  return (
    <div className="stack">
      <p>
        <StatusBadge tone="ok" label={outcome.kind === "neon-branch" ? "BRANCH READY" : "RESTORED IN PLACE"} />
      </p>
      <KeyValues
        items={[
          ["Branch", <span className="mono">{b.name}</span>],
          ["Branch id", <span className="mono">{b.id}</span>],
          ...(outcome.kind === "neon-branch"
            ? ([
                ["Point in time", formatTime(outcome.value.pointInTime)],
                ["Host", <span className="mono">{outcome.value.host}</span>],
                [
                  "Database / role",
                  <span className="mono">{`${outcome.value.database} / ${outcome.value.role}`}</span>,
                ],
              ] as [string, React.ReactNode][])
            : ([["Previous state kept as", <span className="mono">{outcome.value.preservedAs ?? "—"}</span>]] as [
                string,
                React.ReactNode,
              ][])),
          ["Took", formatDuration(outcome.value.durationMs)],
        ]}
      />
      <p className="muted">
        A Neon branch is an exact copy of the history at that point. Compare it table by table with the Forensics steps
        of Scenario 1 before copying anything into production.
      </p>
    </div>
  );
}
