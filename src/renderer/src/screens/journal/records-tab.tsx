import { useCallback, useId, useRef, useState } from "react";
import { invoke } from "../../api/invoke.ts";
import { Card } from "../../components/card.tsx";
import { ExportPanel } from "../../components/export-panel.tsx";
import { formatNumber } from "../../lib/format.ts";
import { cleanFilter } from "./journal-filter.ts";
import { JournalFilters, type FilterFields } from "./journal-filters.tsx";
import { JournalList, type JournalListHandle } from "./journal-list.tsx";
import { RecordDetails } from "./record-details.tsx";
import { VerifyChain } from "./verify-chain.tsx";

export function RecordsTab({ fields, onFields }: { fields: FilterFields; onFields: (f: FilterFields) => void }) {
  const [selected, setSelected] = useState<number>();
  const [total, setTotal] = useState<number>();
  const [refreshKey, setRefreshKey] = useState(0);
  const [goto, setGoto] = useState("");
  const list = useRef<JournalListHandle>(null);
  const id = useId();
  const filter = cleanFilter(fields);
  const onTotal = useCallback((n: number) => setTotal(n), []);

  const jumpToSeq = async () => {
    const seq = Number(goto);
    if (!Number.isInteger(seq) || seq < 1) return;
    // The position of a record in the filtered list = how many matching records come before it.
    const before = await invoke("journal.query", { ...filter, toSeq: seq - 1, limit: 1, newest: true });
    if (before.ok) list.current?.scrollToIndex(before.value.total);
    setSelected(seq);
  };

  return (
    <div className="stack">
      <section className="card" aria-label="Filter and search">
        <JournalFilters value={fields} onApply={onFields} />
      </section>
      <div className="row">
        <strong role="status">{total === undefined ? "Loading…" : `${formatNumber(total)} records`}</strong>
        <button type="button" className="btn quiet" onClick={() => list.current?.scrollToIndex(0)}>
          Jump to oldest
        </button>
        <button
          type="button"
          className="btn quiet"
          onClick={() => list.current?.scrollToIndex(Math.max(0, (total ?? 1) - 1))}
        >
          Jump to newest
        </button>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void jumpToSeq();
          }}
        >
          <label htmlFor={id}>Go to record #</label>
          <input
            id={id}
            type="number"
            min={1}
            value={goto}
            onChange={(e) => setGoto(e.target.value)}
            style={{ width: "8rem" }}
          />
          <button type="submit" className="btn quiet">
            Go
          </button>
        </form>
        <button type="button" className="btn quiet" onClick={() => setRefreshKey((k) => k + 1)}>
          Reload
        </button>
      </div>
      <JournalList
        ref={list}
        filter={filter}
        selected={selected}
        onSelect={setSelected}
        onTotal={onTotal}
        refreshKey={refreshKey}
      />
      {selected ? <RecordDetails seq={selected} onClose={() => setSelected(undefined)} /> : null}
      <div className="grid">
        <Card title="Verify">
          <VerifyChain />
        </Card>
        <Card title="Export">
          <ExportPanel label="Export the journal" filter={filter} />
        </Card>
      </div>
    </div>
  );
}
