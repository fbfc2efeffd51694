// The merge join of three key-ordered page streams (before, damaged, now): every key any state has, once, with each
// state's row hash (undefined where the state lacks the row). Each stream holds its current page and one page read
// ahead, so memory is the same whatever the table's size.
import type { KeyComparator } from "../key-order.ts";
import type { KeyPage } from "../key-stream.ts";
import { Cursor } from "../merge-pages.ts";

export interface ThreeStreams {
  before: AsyncIterator<KeyPage>;
  /** Absent for a two-state plan. */
  damaged?: AsyncIterator<KeyPage>;
  now: AsyncIterator<KeyPage>;
}

export interface ThreeRowCounts {
  before: number;
  damaged: number;
  now: number;
}

export interface MergeThreeOptions {
  compare: KeyComparator;
  /** Keys strictly increase (a primary key); false for multisets of row hashes (tables without a key). */
  unique: boolean;
  /** Every key, in order; a returned promise is awaited (backpressure while affected rows are written out). */
  onRow: (key: string[], b: string | undefined, d: string | undefined, n: string | undefined) => void | Promise<void>;
  onProgress?: (rows: ThreeRowCounts) => void;
}

// A stream of keys only (no hashes) still needs a value that means "present".
const PRESENT = "";

export async function mergeThree(
  streams: ThreeStreams,
  opts: MergeThreeOptions,
): Promise<{ rows: ThreeRowCounts; peakBufferedRows: number }> {
  const held = { now: 0, peak: 0 };
  const rows: ThreeRowCounts = { before: 0, damaged: 0, now: 0 };
  const progress = opts.onProgress;
  const onPage = progress ? () => progress({ ...rows }) : () => {};
  const cursor = (name: string, it: AsyncIterator<KeyPage>) =>
    new Cursor(name, it, held, opts.compare, opts.unique, onPage);
  const b = cursor("before state", streams.before);
  const d = streams.damaged ? cursor("damaged state", streams.damaged) : null;
  const n = cursor("production", streams.now);
  const all = d ? [b, d, n] : [b, n];
  const cmp = opts.compare;
  try {
    await Promise.all(all.map((c) => c.start()));
    for (;;) {
      const bk = b.key;
      const dk = d ? d.key : null;
      const nk = n.key;
      let min = bk;
      if (dk && (!min || cmp(dk, min) < 0)) min = dk;
      if (nk && (!min || cmp(nk, min) < 0)) min = nk;
      if (!min) break;
      const atB = bk !== null && (bk === min || cmp(bk, min) === 0);
      const atD = dk !== null && (dk === min || cmp(dk, min) === 0);
      const atN = nk !== null && (nk === min || cmp(nk, min) === 0);
      const hb = atB ? (b.hash ?? PRESENT) : undefined;
      const hd = atD ? (d!.hash ?? PRESENT) : undefined;
      const hn = atN ? (n.hash ?? PRESENT) : undefined;
      const w = opts.onRow(min, hb, hd, hn);
      if (w) await w;
      if (atB) {
        rows.before++;
        const p = b.advance();
        if (p) await p;
      }
      if (atD) {
        rows.damaged++;
        const p = d!.advance();
        if (p) await p;
      }
      if (atN) {
        rows.now++;
        const p = n.advance();
        if (p) await p;
      }
    }
  } finally {
    await Promise.all(all.map((c) => c.close()));
  }
  onPage();
  return { rows, peakBufferedRows: held.peak };
}
