// The forensics benchmark from issue 3: a diff of a 1,000,000-row table between two databases in <= 10 s with flat
// memory. Measured in one run against same-run baselines, because these machines are shared and noisy:
//   count(*) of the table on both sides at once       (the floor of touching the table)
//   hashing every row on both sides at once           (the server-side work of the diff, without Node)
//   a server-side EXCEPT, both directions, in one db  (what a diff costs when both copies sit on one server)
// Memory: the peak RSS growth of this process during the diff, at a quarter of the table and at the whole table.
// Run alone: node --import tsx test/bench/forensics-bench.ts   (LIFEBOAT_BENCH_ROWS to change the size)
import { fileURLToPath } from "node:url";
import { diffTable, type TableDiff } from "../../src/main/forensics/diff-table.ts";
import { nullJournal } from "../../src/main/journal/journal.ts";
import type { ConnInfo } from "../../src/main/postgres/conn-info.ts";
import { withClient } from "../../src/main/postgres/connect.ts";
import { startCluster } from "../harness/pg.ts";

const log = (s: string) => console.log(`  ${s}`);

async function run(conn: ConnInfo, sql: string): Promise<void> {
  await withClient(conn, async (c) => {
    await c.query(sql);
  });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** Peak RSS growth of this process while fn runs, sampled every 10 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakDeltaMb: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakDeltaMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const TABLE = `CREATE TABLE notes (
  id bigint PRIMARY KEY,
  patient_id int NOT NULL,
  author text NOT NULL,
  created_at timestamptz NOT NULL,
  title text NOT NULL,
  body text,
  amount numeric(10,2),
  tags text[]
)`;

function fill(rows: number): string {
  return `INSERT INTO notes SELECT g, g % 20000, 'cl' || md5((g % 40)::text), timestamptz '2023-01-01 00:00:00+00' + g * interval '37 seconds',
    'Progress note ' || g, repeat(md5(g::text), 6), (g % 100000) / 100.0, ARRAY['follow-up', (g % 7)::text]
  FROM generate_series(1, ${rows}) g`;
}

// Production after an incident: rows deleted, rows edited, rows added since the branch point.
const DAMAGE = `DELETE FROM notes WHERE id % 1000 = 0;
  UPDATE notes SET body = 'edited after the branch point' WHERE id % 1000 = 500;
  INSERT INTO notes SELECT g, 1, 'clnew', now(), 'new', 'new', 1, NULL FROM generate_series(10000001, 10000500) g;`;

export async function benchForensics(opts: { rows?: number } = {}): Promise<Record<string, unknown>> {
  const rows = opts.rows ?? Number(process.env.LIFEBOAT_BENCH_ROWS ?? 1_000_000);
  const cluster = await startCluster({ settings: { shared_buffers: "256MB", max_wal_size: "4GB" } });
  try {
    await cluster.query("CREATE DATABASE bench_branch");
    const branch = cluster.conn("bench_branch");
    log(`generating ${rows.toLocaleString("en")} rows…`);
    const gen = await timed(() => run(branch, `${TABLE}; ${fill(rows)}`));
    await cluster.query("CREATE DATABASE bench_prod TEMPLATE bench_branch");
    const production = cluster.conn("bench_prod");
    await run(production, DAMAGE);
    // The EXCEPT baseline needs both copies in one database: production's copy next to the branch's table.
    await run(branch, `CREATE TABLE notes_prod AS SELECT * FROM notes; ALTER TABLE notes_prod ADD PRIMARY KEY (id);`);
    await run(branch, DAMAGE.replaceAll("notes", "notes_prod"));
    await Promise.all([run(branch, "VACUUM ANALYZE"), run(production, "VACUUM ANALYZE")]);
    const size = await withClient(
      branch,
      async (c) =>
        (await c.query<{ s: string }>("SELECT pg_size_pretty(pg_total_relation_size('notes')) AS s")).rows[0]!.s,
    );
    log(`generated in ${gen.seconds.toFixed(1)} s; table ${size} per side`);

    // Warm both sides' caches the same way for every contender.
    await Promise.all([run(branch, "SELECT count(*) FROM notes"), run(production, "SELECT count(*) FROM notes")]);

    const count = await timed(() =>
      Promise.all([run(branch, "SELECT count(*) FROM notes"), run(production, "SELECT count(*) FROM notes")]),
    );
    log(`baseline count(*) on both sides: ${count.seconds.toFixed(2)} s`);
    const hashAll =
      "SELECT sum(hash_record_extended(ROW(id, patient_id, author, created_at, title, body, amount, tags), 0)) FROM notes";
    const hash = await timed(() => Promise.all([run(branch, hashAll), run(production, hashAll)]));
    log(`baseline hashing every row on both sides: ${hash.seconds.toFixed(2)} s`);
    const except = await timed(() =>
      run(
        branch,
        `SET work_mem = '256MB'; SELECT (SELECT count(*) FROM (SELECT * FROM notes EXCEPT ALL SELECT * FROM notes_prod) a) + (SELECT count(*) FROM (SELECT * FROM notes_prod EXCEPT ALL SELECT * FROM notes) b)`,
      ),
    );
    log(`baseline server-side EXCEPT ALL, both directions, one database: ${except.seconds.toFixed(2)} s`);

    const ctx = { journal: nullJournal() };
    // One small diff first, so the measured ones do not pay for loading and compiling the code.
    await diffTable(branch, production, "notes", { where: "id <= 20000" }, ctx);
    const quarter = await withPeakRss(() =>
      diffTable(branch, production, "notes", { where: `id <= ${Math.floor(rows / 4)}` }, ctx),
    );
    log(
      `diff of a quarter (${quarter.value.counts.branch.toLocaleString("en")} rows): ${(quarter.value.durationMs / 1000).toFixed(2)} s, peak RSS +${quarter.peakDeltaMb.toFixed(1)} MB`,
    );
    const full = await withPeakRss(() => diffTable(branch, production, "notes", {}, ctx));
    const d: TableDiff = full.value;
    const seconds = d.durationMs / 1000;
    const expectMissing = Math.floor(rows / 1000);
    if (
      d.missingInProduction !== expectMissing ||
      d.changed !== Math.floor((rows + 500) / 1000) ||
      d.extraInProduction !== 500
    ) {
      throw new Error(
        `diff counts are wrong: ${JSON.stringify([d.missingInProduction, d.changed, d.extraInProduction])}`,
      );
    }
    log(
      `diff of ${d.counts.branch.toLocaleString("en")} vs ${d.counts.production.toLocaleString("en")} rows: ${seconds.toFixed(2)} s (${Math.round(d.counts.branch / seconds).toLocaleString("en")} rows/s per side), ` +
        `peak RSS +${full.peakDeltaMb.toFixed(1)} MB, at most ${d.peakBufferedRows.toLocaleString("en")} rows held; row hash ${d.rowHash} (goal <= 10 s)`,
    );
    log(
      `ratios: ${(seconds / except.seconds).toFixed(2)}x the server-side EXCEPT, ${(seconds / hash.seconds).toFixed(2)}x hashing alone, ${(seconds / count.seconds).toFixed(2)}x count(*)`,
    );
    return {
      rows,
      table_size_per_side: size,
      diff_s: Number(seconds.toFixed(2)),
      rows_per_s_per_side: Math.round(d.counts.branch / seconds),
      peak_rss_delta_mb: Number(full.peakDeltaMb.toFixed(1)),
      peak_rss_delta_mb_quarter: Number(quarter.peakDeltaMb.toFixed(1)),
      peak_rows_held: d.peakBufferedRows,
      row_hash: d.rowHash,
      found: { missing: d.missingInProduction, changed: d.changed, extra: d.extraInProduction },
      baseline_count_both_s: Number(count.seconds.toFixed(2)),
      baseline_hash_both_s: Number(hash.seconds.toFixed(2)),
      baseline_except_s: Number(except.seconds.toFixed(2)),
      ratio_vs_hashing: Number((seconds / hash.seconds).toFixed(2)),
      ratio_vs_except: Number((seconds / except.seconds).toFixed(2)),
      ratio_vs_count: Number((seconds / count.seconds).toFixed(2)),
      goal_s: 10,
      goal_met: seconds <= 10,
    };
  } finally {
    await cluster.destroy().catch(() => undefined);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchForensics(), null, 2));
}
