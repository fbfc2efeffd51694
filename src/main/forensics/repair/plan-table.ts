// Plans one table: every state streamed in key order (keys and row hashes only), merged three ways, each key
// classified; the damaged rows' values are then read in batches from each state's snapshot and written to the plan.
import type { ClassCounts, PlanEntry, RowValues } from "../../../shared/repair-plan.ts";
import { compareBytesText, compareIntText, keyComparator } from "../key-order.ts";
import { keyPages, type KeyStreamSpec } from "../key-stream.ts";
import { hashPages, rawHash } from "../full-row-diff.ts";
import { rowHashExpr, type RowHashMethod } from "../row-hash.ts";
import type { ColumnInfo } from "../table-info.ts";
import { mergeThree, type ThreeRowCounts } from "./merge-three.ts";
import { classifyThree, classifyTwo, countVerdict, emptyCounts, type RowVerdict } from "./row-class.ts";
import { differingColumns, keyId, pick, rowsByHash, rowsByKey } from "./state-rows.ts";
import type { StateSides, StateTable } from "./state-tables.ts";

export interface PlanTableOptions {
  pageRows: number;
  /** Damaged rows whose values are read per round trip. */
  batchRows: number;
  /** Two-state plans: does the audit table attribute this key to the incident window? */
  attributed?: (key: readonly string[]) => boolean;
  add: (e: PlanEntry) => Promise<void>;
  onProgress?: (rows: ThreeRowCounts) => void;
}

export interface TableResult {
  counts: ClassCounts;
  rows: ThreeRowCounts;
  rowHash: RowHashMethod;
  peakBufferedRows: number;
}

interface Pending {
  key: string[];
  hn: string | undefined;
  v: Extract<RowVerdict, { kind: "damage" }>;
}

function columnsOf(t: StateTable, side: "before" | "damaged" | "now"): ColumnInfo[] {
  const cols = t[side]!.columns;
  return t.compared.map((n) => cols.find((c) => c.name === n)!);
}

/** Builds a plan entry from the rows' values in each state. */
export function entryOf(
  t: StateTable,
  p: Pending,
  b: RowValues | null,
  d: RowValues | null | undefined,
  n: RowValues | null,
): PlanEntry {
  const cls = p.v.class;
  const base = {
    table: t.name,
    key: p.key,
    class: cls,
    nowHash: p.hn ?? null,
    ...(p.v.note ? { note: p.v.note } : {}),
  };
  const two = d === undefined;
  if (cls === "reinsert") return { ...base, columns: [], before: b, ...(two ? {} : { damaged: null }), now: null };
  if (cls === "inserted") return { ...base, columns: [], before: null, ...(two ? {} : { damaged: d }), now: n };
  // restore / conflict: only the columns that differ between any two states travel.
  const cols = new Set([
    ...differingColumns(t.compared, b, two ? n : d!),
    ...(two ? [] : differingColumns(t.compared, d!, n)),
    ...differingColumns(t.compared, b, n),
  ]);
  const columns = t.compared.filter((c) => cols.has(c));
  const show = n && b ? columns : t.compared;
  return { ...base, columns, before: pick(b, show), ...(two ? {} : { damaged: pick(d!, show) }), now: pick(n, show) };
}

export async function planKeyedTable(
  sides: StateSides,
  t: StateTable,
  method: RowHashMethod,
  o: PlanTableOptions,
): Promise<TableResult> {
  const spec = (side: "before" | "damaged" | "now"): KeyStreamSpec => ({
    table: t[side]!.table,
    keyCols: t.keyCols,
    hashExpr: rowHashExpr(method, columnsOf(t, side)),
    pageRows: o.pageRows,
  });
  const counts = emptyCounts();
  let pending: Pending[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const keys = batch.map((p) => p.key);
    const [bRows, dRows, nRows] = await Promise.all([
      rowsByKey(
        sides.before,
        t.before.table,
        t.keyCols,
        t.before.columns.filter((c) => t.compared.includes(c.name)),
        keys,
      ),
      sides.damaged ? rowsByKey(sides.damaged, t.damaged!.table, t.keyCols, columnsOf(t, "damaged"), keys) : null,
      rowsByKey(sides.now, t.now.table, t.keyCols, columnsOf(t, "now"), keys),
    ]);
    for (const p of batch) {
      const id = keyId(p.key);
      await o.add(
        entryOf(t, p, bRows.get(id) ?? null, dRows ? (dRows.get(id) ?? null) : undefined, nRows.get(id) ?? null),
      );
    }
  };
  const merged = await mergeThree(
    {
      before: keyPages(sides.before, spec("before")),
      ...(sides.damaged ? { damaged: keyPages(sides.damaged, spec("damaged")) } : {}),
      now: keyPages(sides.now, spec("now")),
    },
    {
      compare: keyComparator(t.keyCols),
      unique: true,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      onRow: (key, hb, hd, hn) => {
        if (hb === hd && hd === hn) {
          counts.unchanged++;
          return;
        }
        const v = sides.damaged ? classifyThree(hb, hd, hn) : classifyTwo(hb, hn, o.attributed?.(key) ?? false);
        countVerdict(counts, v);
        if (v.kind !== "damage") return;
        pending.push({ key, hn, v });
        return pending.length >= o.batchRows ? flush() : undefined;
      },
    },
  );
  await flush();
  return { counts, rows: merged.rows, rowHash: method, peakBufferedRows: merged.peakBufferedRows };
}

/**
 * A table without a primary key: each state is a multiset of row hashes. Equal rows are interchangeable, so a damaged
 * row's "key" is its hash, and nowHash records how many identical rows production held (what apply checks).
 */
export async function planKeylessTable(
  sides: StateSides,
  t: StateTable,
  method: RowHashMethod,
  o: PlanTableOptions,
): Promise<TableResult> {
  const expr = (side: "before" | "damaged" | "now") => rawHash(method, columnsOf(t, side));
  const pages = (side: "before" | "damaged" | "now") =>
    hashPages(sides[side]!, t[side]!.table, expr(side), method, [], o.pageRows);
  const counts = emptyCounts();
  let group: { hash: string; nowCount: number; items: Pending[] } | null = null;
  let pending: { hash: string; nowCount: number; p: Pending }[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const hashes = [...new Set(batch.map((x) => x.hash))];
    const [bRows, nRows] = await Promise.all([
      rowsByHash(sides.before, t.before.table, expr("before"), columnsOf(t, "before"), hashes),
      rowsByHash(sides.now, t.now.table, expr("now"), columnsOf(t, "now"), hashes),
    ]);
    const dRows = sides.damaged
      ? await rowsByHash(sides.damaged, t.damaged!.table, expr("damaged"), columnsOf(t, "damaged"), hashes)
      : null;
    for (const x of batch) {
      const e = entryOf(
        t,
        x.p,
        bRows.get(x.hash) ?? null,
        dRows ? (dRows.get(x.hash) ?? null) : undefined,
        nRows.get(x.hash) ?? null,
      );
      await o.add({ ...e, nowHash: String(x.nowCount) });
    }
  };
  const closeGroup = async () => {
    if (!group) return;
    for (const p of group.items) pending.push({ hash: group.hash, nowCount: group.nowCount, p });
    group = null;
    if (pending.length >= o.batchRows) await flush();
  };
  const merged = await mergeThree(
    {
      before: pages("before"),
      ...(sides.damaged ? { damaged: pages("damaged") } : {}),
      now: pages("now"),
    },
    {
      compare: method === "md5" ? (a, b) => compareBytesText(a[0]!, b[0]!) : (a, b) => compareIntText(a[0]!, b[0]!),
      unique: false,
      ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      onRow: async (key, hb, hd, hn) => {
        const hash = key[0]!;
        if (group && group.hash !== hash) await closeGroup();
        group ??= { hash, nowCount: 0, items: [] };
        if (hn !== undefined) group.nowCount++;
        const v = sides.damaged ? classifyThree(hb, hd, hn) : classifyTwo(hb, hn, false);
        countVerdict(counts, v);
        if (v.kind === "damage") group.items.push({ key: [hash], hn, v });
      },
    },
  );
  await closeGroup();
  await flush();
  return { counts, rows: merged.rows, rowHash: method, peakBufferedRows: merged.peakBufferedRows };
}
