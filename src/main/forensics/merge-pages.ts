// The merge join of two key-ordered page streams. Holds the current page of each side and one page read ahead
// (so both servers work while Node compares); a table's size never changes what is in memory.
import { LifeboatError } from "../../shared/errors.ts";
import type { KeyComparator } from "./key-order.ts";
import type { KeyPage } from "./key-stream.ts";

export type Verdict = "missing" | "changed" | "extra";

export interface MergeStats {
  branchRows: number;
  productionRows: number;
  missingInProduction: number;
  changed: number;
  extraInProduction: number;
  identical: number;
  /** Most rows (keys + hashes) held in memory at once, both sides together. */
  peakBufferedRows: number;
}

export interface MergeOptions {
  compare: KeyComparator;
  /** Called for each difference in key order; a returned promise is awaited (backpressure for a copy). */
  onDifference?: (verdict: Verdict, key: string[]) => void | Promise<void>;
  /** Keys must strictly increase (primary key); false for a multiset of row hashes. */
  unique: boolean;
  /** Rows compared so far on each side, as each page loads and once more at the end. */
  onProgress?: (rows: { branch: number; production: number }) => void;
}

/** One side's page stream, read a page ahead, with the check that keys arrive in order. */
export class Cursor {
  page: KeyPage | null = null;
  i = 0;
  prev: string[] | null = null;
  private ahead: Promise<IteratorResult<KeyPage>> | null = null;

  constructor(
    private readonly side: string,
    private readonly it: AsyncIterator<KeyPage>,
    private readonly held: { now: number; peak: number },
    private readonly compare: KeyComparator,
    private readonly unique: boolean,
    private readonly onPage: () => void,
  ) {}

  private fetch(): Promise<IteratorResult<KeyPage>> {
    const p = this.it.next().then((r) => {
      if (!r.done) {
        this.held.now += r.value.keys.length;
        if (this.held.now > this.held.peak) this.held.peak = this.held.now;
      }
      return r;
    });
    // A rejection is observed when the page is awaited; until then it must not count as unhandled.
    p.catch(() => {});
    return p;
  }

  async start(): Promise<void> {
    this.ahead = this.fetch();
    await this.load();
  }

  private async load(): Promise<void> {
    if (this.page) this.held.now -= this.page.keys.length;
    const r = await this.ahead!;
    if (r.done) {
      this.page = null;
      this.ahead = null;
      return;
    }
    this.page = r.value;
    this.i = 0;
    this.onPage();
    this.ahead = this.fetch();
    this.check();
  }

  get key(): string[] | null {
    return this.page ? this.page.keys[this.i]! : null;
  }

  get hash(): string | null {
    return this.page?.hashes ? this.page.hashes[this.i]! : null;
  }

  /** Moves to the next row; returns a promise only when a new page has to be awaited (the hot path stays sync). */
  advance(): Promise<void> | undefined {
    if (++this.i >= this.page!.keys.length) return this.load();
    this.check();
    return undefined;
  }

  private check(): void {
    const key = this.page!.keys[this.i]!;
    if (this.prev) {
      const c = this.compare(this.prev, key);
      if (c > 0 || (c === 0 && this.unique)) {
        throw new LifeboatError(
          "INTERNAL",
          `the ${this.side} returned keys out of order (${JSON.stringify(this.prev)} then ${JSON.stringify(key)}); the comparison was stopped`,
          "Nothing was changed. This is a bug in Lifeboat's key ordering for this table's key types: report it with the table's primary-key column types.",
        );
      }
    }
    this.prev = key;
  }

  async close(): Promise<void> {
    await this.it.return?.(undefined).catch(() => undefined);
  }
}

/** Walks both streams to the end, counting and reporting differences. */
export async function mergePages(
  branch: AsyncIterator<KeyPage>,
  production: AsyncIterator<KeyPage>,
  opts: MergeOptions,
): Promise<MergeStats> {
  const held = { now: 0, peak: 0 };
  const stats: MergeStats = {
    branchRows: 0,
    productionRows: 0,
    missingInProduction: 0,
    changed: 0,
    extraInProduction: 0,
    identical: 0,
    peakBufferedRows: 0,
  };
  const progress = opts.onProgress;
  const onPage = progress ? () => progress({ branch: stats.branchRows, production: stats.productionRows }) : () => {};
  const b = new Cursor("branch", branch, held, opts.compare, opts.unique, onPage);
  const p = new Cursor("production", production, held, opts.compare, opts.unique, onPage);
  const report = opts.onDifference;
  const emit = (v: Verdict, key: string[]): Promise<void> | void => (report ? report(v, key) : undefined);
  try {
    await Promise.all([b.start(), p.start()]);
    for (;;) {
      const bk = b.key;
      const pk = p.key;
      if (!bk && !pk) break;
      const c = !bk ? 1 : !pk ? -1 : opts.compare(bk, pk);
      if (c < 0) {
        stats.branchRows++;
        stats.missingInProduction++;
        await emit("missing", bk!);
        const w = b.advance();
        if (w) await w;
      } else if (c > 0) {
        stats.productionRows++;
        stats.extraInProduction++;
        await emit("extra", pk!);
        const w = p.advance();
        if (w) await w;
      } else {
        stats.branchRows++;
        stats.productionRows++;
        if (b.hash !== p.hash) {
          stats.changed++;
          await emit("changed", bk!);
        } else stats.identical++;
        const wb = b.advance();
        if (wb) await wb;
        const wp = p.advance();
        if (wp) await wp;
      }
    }
  } finally {
    await Promise.all([b.close(), p.close()]);
  }
  onPage(); // pages report as they load, i.e. the rows before them: the last report is the whole table
  stats.peakBufferedRows = held.peak;
  return stats;
}
