import { formatTime } from "../../../../shared/format.ts";
import { memo } from "react";
import type { JournalRecord } from "../../../../shared/api/journal-schemas.ts";

const OUTCOME_TONE: Record<JournalRecord["outcome"], string> = {
  ok: "ok",
  failed: "critical",
  refused: "high",
  cancelled: "medium",
  started: "unknown",
  info: "unknown",
  unknown: "medium",
};

// Memoized: while scrolling, rows that stay in view are not rendered again.
export const JournalRow = memo(function JournalRow({
  record,
  index,
  selected,
  onSelect,
}: {
  record: JournalRecord | undefined;
  index: number;
  selected: boolean;
  onSelect: (seq: number) => void;
}) {
  if (!record) {
    return (
      <div role="row" aria-rowindex={index + 2} className="jrow loading">
        <span role="cell">Loading row {index + 1}…</span>
      </div>
    );
  }
  return (
    <div role="row" aria-rowindex={index + 2} aria-selected={selected} className={`jrow ${selected ? "selected" : ""}`}>
      <span role="cell" className="jseq">
        <button
          type="button"
          className="linkish"
          onClick={() => onSelect(record.seq)}
          aria-label={`Record ${record.seq} details`}
        >
          #{record.seq}
        </button>
      </span>
      <span role="cell" className="jts mono">
        {formatTime(record.ts).replace(" UTC", "")}
      </span>
      <span role="cell" className={`joutcome tone-${OUTCOME_TONE[record.outcome]}`}>
        {record.outcome}
      </span>
      <span role="cell" className="jkind mono">
        {record.kind}
      </span>
      <span role="cell" className="jsummary" title={record.summary}>
        <SummaryLine summary={record.summary} />
      </span>
      <span role="cell" className="jincident mono">
        {record.incident ?? ""}
      </span>
    </div>
  );
});

const SHORTENED = /^(.*…) (\(\d[\d,]* chars in full\))$/s;

/**
 * A shortened summary keeps its "(N chars in full)" marker in view: the words give way to the ellipsis, the marker
 * does not (in a narrow list the summary's end would otherwise be cut off, marker and all).
 */
function SummaryLine({ summary }: { summary: string }) {
  const m = SHORTENED.exec(summary);
  if (!m) return <>{summary}</>;
  return (
    <>
      <span className="jsummary-words">{m[1]}</span> <span className="jsummary-more">{m[2]}</span>
    </>
  );
}
