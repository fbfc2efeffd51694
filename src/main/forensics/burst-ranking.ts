// Pure arithmetic over audit-log counts: which (table, time bucket) cells are far above that table's usual rate, how
// they join into bursts, and which second was the last good one. No I/O, so it is tested on its own.

export interface BucketCount {
  table: string;
  /** Bucket number: floor(epoch seconds / bucketSeconds). */
  bucket: number;
  action: string;
  count: number;
  firstMs: number;
  lastMs: number;
  sampleRecordIds: string[];
}

export interface Burst {
  table: string;
  /** The action with most events ("DELETE"), or "DELETE+UPDATE" when mixed evenly enough to matter. */
  action: string;
  actions: Record<string, number>;
  bucketStart: string;
  bucketEnd: string;
  buckets: number;
  count: number;
  first: string;
  last: string;
  /** Events per bucket this table usually has in the window (the burst itself left out). */
  baselinePerBucket: number;
  /** How many Poisson standard deviations above the baseline the busiest bucket is. */
  score: number;
  anomalous: boolean;
  sampleRecordIds: string[];
}

export interface RankOptions {
  bucketSeconds: number;
  /** Buckets in the examined window (for the baseline rate). */
  windowBuckets: number;
  /** A bucket needs at least this many events to count as a burst (default 5). */
  minEvents?: number;
  /** ... and a score at least this high (default 4). */
  minScore?: number;
}

export interface Ranking {
  bursts: Burst[];
  worst?: Burst;
  /** Bursts of any table that overlap the worst one (within a bucket): one incident. Feed it to suggestion(). */
  incident: Burst[];
  reasoning: string[];
}

interface Cell {
  table: string;
  bucket: number;
  count: number;
  actions: Record<string, number>;
  firstMs: number;
  lastMs: number;
  sample: string[];
  score: number;
  baseline: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function dominant(actions: Record<string, number>): string {
  const sorted = Object.entries(actions).sort((a, b) => b[1] - a[1]);
  const [top, second] = sorted;
  if (!top) return "";
  return second && second[1] >= top[1] / 4 ? sorted.map(([a]) => a).join("+") : top[0];
}

/** The last whole second before `ms`: a branch at that second holds nothing written from `ms` on. */
export function lastGoodSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000 - 1000;
}

function cells(counts: readonly BucketCount[], opts: RankOptions): Cell[] {
  const byKey = new Map<string, Cell>();
  for (const c of counts) {
    const key = `${c.table}\u0000${c.bucket}`;
    let cell = byKey.get(key);
    if (!cell) {
      cell = {
        table: c.table,
        bucket: c.bucket,
        count: 0,
        actions: {},
        firstMs: c.firstMs,
        lastMs: c.lastMs,
        sample: [],
        score: 0,
        baseline: 0,
      };
      byKey.set(key, cell);
    }
    cell.count += c.count;
    cell.actions[c.action] = (cell.actions[c.action] ?? 0) + c.count;
    cell.firstMs = Math.min(cell.firstMs, c.firstMs);
    cell.lastMs = Math.max(cell.lastMs, c.lastMs);
    for (const id of c.sampleRecordIds) if (cell.sample.length < 5) cell.sample.push(id);
  }
  const totals = new Map<string, number>();
  for (const cell of byKey.values()) totals.set(cell.table, (totals.get(cell.table) ?? 0) + cell.count);
  const others = Math.max(1, opts.windowBuckets - 1);
  for (const cell of byKey.values()) {
    // Leave-one-out: a burst must not raise its own baseline.
    cell.baseline = opts.windowBuckets > 1 ? (totals.get(cell.table)! - cell.count) / others : 0;
    cell.score = (cell.count - cell.baseline) / Math.sqrt(cell.baseline + 1);
  }
  return [...byKey.values()];
}

function toBurst(run: Cell[], bucketSeconds: number, anomalous: boolean): Burst {
  const actions: Record<string, number> = {};
  for (const c of run) for (const [a, n] of Object.entries(c.actions)) actions[a] = (actions[a] ?? 0) + n;
  const first = run[0]!;
  const last = run[run.length - 1]!;
  const sample: string[] = [];
  for (const c of run) for (const id of c.sample) if (sample.length < 5) sample.push(id);
  return {
    table: first.table,
    action: dominant(actions),
    actions,
    bucketStart: iso(first.bucket * bucketSeconds * 1000),
    bucketEnd: iso((last.bucket + 1) * bucketSeconds * 1000),
    buckets: run.length,
    count: run.reduce((a, c) => a + c.count, 0),
    first: iso(Math.min(...run.map((c) => c.firstMs))),
    last: iso(Math.max(...run.map((c) => c.lastMs))),
    baselinePerBucket: Math.round(first.baseline * 100) / 100,
    score: Math.round(Math.max(...run.map((c) => c.score)) * 10) / 10,
    anomalous,
    sampleRecordIds: sample,
  };
}

/**
 * Where a burst really starts inside its first bucket. Bucket counts cannot tell a routine event at :10 from a bulk
 * delete at :59 of the same minute; the event times can. Walking back from the burst's last event, the burst goes on
 * while events follow each other closer than a quarter of the usual spacing (at least a second); the first event
 * after a wider gap is the onset.
 */
export function burstOnset(
  timesMs: readonly number[],
  baselinePerBucket: number,
  bucketSeconds: number,
): number | undefined {
  if (timesMs.length === 0) return undefined;
  const sorted = [...timesMs].sort((a, b) => a - b);
  const maxGap = Math.max(1000, (bucketSeconds * 1000) / (4 * (baselinePerBucket + 1)));
  let i = sorted.length - 1;
  while (i > 0 && sorted[i]! - sorted[i - 1]! <= maxGap) i--;
  return sorted[i];
}

/** Ranks bursts, most anomalous first, and derives the recovery point from the worst one. */
export function rankBursts(counts: readonly BucketCount[], opts: RankOptions): Ranking {
  const minEvents = opts.minEvents ?? 5;
  const minScore = opts.minScore ?? 4;
  const all = cells(counts, opts);
  const isHot = (c: Cell) => c.count >= minEvents && c.score >= minScore;
  // Consecutive hot buckets of one table are one burst: a bulk delete that straddles a bucket boundary is one event.
  const byTable = new Map<string, Cell[]>();
  for (const c of all) byTable.set(c.table, [...(byTable.get(c.table) ?? []), c]);
  const bursts: Burst[] = [];
  for (const list of byTable.values()) {
    list.sort((a, b) => a.bucket - b.bucket);
    let run: Cell[] = [];
    const close = () => {
      if (run.length) bursts.push(toBurst(run, opts.bucketSeconds, true));
      run = [];
    };
    for (const c of list) {
      if (!isHot(c)) {
        close();
        continue;
      }
      if (run.length && c.bucket !== run[run.length - 1]!.bucket + 1) close();
      run.push(c);
    }
    close();
  }
  bursts.sort((a, b) => b.score - a.score || b.count - a.count);
  const reasoning: string[] = [];
  if (bursts.length === 0) {
    const busiest = all
      .sort((a, b) => b.score - a.score || b.count - a.count)
      .slice(0, 5)
      .map((c) => toBurst([c], opts.bucketSeconds, false));
    reasoning.push(
      all.length === 0
        ? "No matching audit events in the window."
        : `No bucket stands out: none has at least ${minEvents} events and a score of ${minScore} or more above its table's usual rate. The busiest buckets are listed; pick the recovery point by hand.`,
    );
    return { bursts: busiest, incident: [], reasoning };
  }
  const worst = bursts[0]!;
  const slack = opts.bucketSeconds * 1000;
  const wFirst = Date.parse(worst.first);
  const wLast = Date.parse(worst.last);
  const incident = bursts.filter((b) => Date.parse(b.first) <= wLast + slack && Date.parse(b.last) >= wFirst - slack);
  reasoning.push(
    `Worst burst: ${worst.count} ${worst.action} events on ${worst.table} between ${worst.first} and ${worst.last}, against a usual ${worst.baselinePerBucket} per ${opts.bucketSeconds} s (score ${worst.score}).`,
  );
  if (incident.length > 1) {
    reasoning.push(
      `Bursts on ${incident.map((b) => b.table).join(", ")} overlap it in time, so they are treated as one incident; the earliest event of any of them counts.`,
    );
  }
  return { bursts, worst, incident, reasoning };
}

/** The first bad event of an incident and the last good second before it (bursts' `first` may have been refined). */
export function suggestion(
  incident: readonly Burst[],
  reasoning: string[],
): {
  firstBadAt: string;
  suggestedRecoveryPoint: string;
  lastBadAt: string;
  suggestedDamagedPoint: string;
  reasoning: string[];
} {
  const firstBad = Math.min(...incident.map((b) => Date.parse(b.first)));
  const lastBad = Math.max(...incident.map((b) => Date.parse(b.last)));
  const point = lastGoodSecond(firstBad);
  // The damaged state for a repair plan: a whole second after the last event with a second to spare for its commit.
  const damaged = Math.floor(lastBad / 1000) * 1000 + 2000;
  return {
    firstBadAt: iso(firstBad),
    suggestedRecoveryPoint: iso(point),
    lastBadAt: iso(lastBad),
    suggestedDamagedPoint: iso(damaged),
    reasoning: [
      ...reasoning,
      `First bad event: ${iso(firstBad)}. The last good second is the whole second before it: ${iso(point)}. A branch at that time holds none of the burst.`,
      `Last bad event: ${iso(lastBad)}. A branch at ${iso(damaged)} holds all of it (the damaged state of a repair plan) if the transaction committed by then; check it is before any later legitimate write.`,
    ],
  };
}
