// The journal as one long virtualized table: `total` rows from the API, fetched in pages of PAGE by position as they
// scroll into view (for the unfiltered journal, position i is record seq i + 1). Only the visible rows exist in the DOM,
// so a million records scroll like a hundred.
import { elementScroll, observeElementOffset, useVirtualizer } from "@tanstack/react-virtual";
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from "react";
import type { JournalRecord } from "../../../../shared/api/journal-schemas.ts";
import type { ErrorInfo } from "../../../../shared/errors.ts";
import { invoke } from "../../api/invoke.ts";
import { ErrorNotice } from "../../components/error-notice.tsx";
import { realTop, scrollScale } from "../../lib/scaled-scroll.ts";
import type { JournalFilter } from "./journal-filter.ts";
import { JournalRow } from "./journal-row.tsx";

/** One line per record where the list is wide; two (the summary on its own line) where it is not (1024 px, half a screen). */
const ROW_PX = 34;
const TWO_LINE_ROW_PX = 56;
const TWO_LINES_BELOW_PX = 940;
const PAGE = 200;

export interface JournalListHandle {
  scrollToIndex: (i: number) => void;
}

export interface JournalListProps {
  filter: JournalFilter;
  selected: number | undefined;
  onSelect: (seq: number) => void;
  onTotal: (total: number) => void;
  /** Changes to force a refetch (new records written meanwhile). */
  refreshKey: number;
}

export const JournalList = forwardRef<JournalListHandle, JournalListProps>(function JournalList(
  { filter, selected, onSelect, onTotal, refreshKey },
  ref,
) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const pages = useRef(new Map<number, JournalRecord[]>());
  const inflight = useRef(new Set<number>());
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<ErrorInfo>();
  const [, setVersion] = useState(0);
  const [viewport, setViewport] = useState(600);
  const [narrow, setNarrow] = useState(false);
  const filterKey = JSON.stringify(filter);
  const generation = useRef(0);

  const loadPage = useCallback(
    async (p: number, gen: number) => {
      if (pages.current.has(p) || inflight.current.has(p)) return;
      inflight.current.add(p);
      const r = await invoke("journal.query", {
        ...(JSON.parse(filterKey) as JournalFilter),
        offset: p * PAGE,
        limit: PAGE,
      });
      inflight.current.delete(p);
      if (gen !== generation.current) return;
      if (!r.ok) return setError(r.error);
      pages.current.set(p, r.value.records);
      if (r.value.total !== total) {
        setTotal(r.value.total);
        onTotal(r.value.total);
      }
      setVersion((v) => v + 1);
    },
    [filterKey, total, onTotal],
  );

  useEffect(() => {
    generation.current += 1;
    pages.current = new Map();
    inflight.current = new Set();
    setError(undefined);
    setTotal(undefined);
    void loadPage(0, generation.current);
  }, [filterKey, refreshKey]);

  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setViewport(el.clientHeight);
      setNarrow(el.clientWidth < TWO_LINES_BELOW_PX);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const count = total ?? 0;
  const rowPx = narrow ? TWO_LINE_ROW_PX : ROW_PX;
  const { realSize, ratio } = scrollScale(count * rowPx, viewport);
  // The virtualizer subscribes to scrolling once, at mount: its callbacks read the current scale from this ref.
  const scale = useRef({ ratio, count, viewport, rowPx });
  scale.current = { ratio, count, viewport, rowPx };
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => scale.current.rowPx,
    overscan: 10,
    observeElementOffset: (instance, cb) =>
      observeElementOffset(instance, (offset, scrolling) => cb(offset * scale.current.ratio, scrolling)),
    scrollToFn: (offset, opts, instance) => elementScroll(offset / scale.current.ratio, opts, instance),
  });
  useEffect(() => virtualizer.measure(), [rowPx, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const offset = virtualizer.scrollOffset ?? 0;

  useEffect(() => {
    if (!items.length) return;
    const first = Math.floor(items[0]!.index / PAGE);
    const last = Math.floor(items[items.length - 1]!.index / PAGE);
    for (let p = first; p <= last; p++) void loadPage(p, generation.current);
  });

  // Scrolled here rather than by virtualizer.scrollToIndex, which clamps to the compressed spacer's height and so
  // could never reach the last rows of a million-record list.
  useImperativeHandle(
    ref,
    () => ({
      scrollToIndex: (i: number) => {
        const el = scrollRef.current;
        if (!el) return;
        const { ratio: r, count: n, viewport: v, rowPx: px } = scale.current;
        const virtualTop = Math.max(0, Math.min(i * px, n * px - v));
        el.scrollTop = Math.round(virtualTop / r);
      },
    }),
    [],
  );

  return (
    <div className="stack">
      {error ? <ErrorNotice error={error} title="The journal could not be read" /> : null}
      <div
        ref={scrollRef}
        className={`jscroll ${narrow ? "narrow" : ""}`}
        tabIndex={0}
        role="table"
        aria-label="Journal records"
        aria-rowcount={count + 1}
      >
        <div role="rowgroup" className="jhead">
          <div role="row" aria-rowindex={1} className="jrow">
            <span role="columnheader">Seq</span>
            <span role="columnheader">Time (UTC)</span>
            <span role="columnheader">Outcome</span>
            <span role="columnheader">Kind</span>
            <span role="columnheader" className="jsummary">
              Summary
            </span>
            <span role="columnheader">Incident</span>
          </div>
        </div>
        <div role="rowgroup" style={{ height: realSize, position: "relative" }}>
          {items.map((it) => {
            const rec = pages.current.get(Math.floor(it.index / PAGE))?.[it.index % PAGE];
            return (
              <div
                key={it.key}
                style={{
                  position: "absolute",
                  top: realTop(it.start, offset, ratio),
                  left: 0,
                  right: 0,
                  height: rowPx,
                }}
              >
                <JournalRow record={rec} index={it.index} selected={rec?.seq === selected} onSelect={onSelect} />
              </div>
            );
          })}
        </div>
      </div>
      {total === 0 ? <p role="status">No records match.</p> : null}
    </div>
  );
});
