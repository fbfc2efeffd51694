// The repair-plan benchmark from issue 11: a plan for a 1,000,000-row table (1% deleted and 1% updated by the
// incident, 0.1% changed again since: conflicts) in <= 15 s and <= 3x one keyset scan of the same table, with peak
// RSS flat (the same at a quarter and at the whole table); then an apply of 20,000 repairs in <= 5 s.
// The baseline, in the same run: one keyset scan of the table as the plan reads it (key and row hash, every page).
// Run alone: node --import tsx test/bench/repair-bench.ts   (LIFEBOAT_BENCH_ROWS to change the size)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { keyColumn } from "../../src/main/forensics/key-order.ts";
import { keyPages } from "../../src/main/forensics/key-stream.ts";
import { applyRepairPlan } from "../../src/main/forensics/repair/apply-plan.ts";
import { decisionsForAll, loadDecisions, recordDecisions } from "../../src/main/forensics/repair/decisions.ts";
import { makeRepairPlan, type PlanResult } from "../../src/main/forensics/repair/make-plan.ts";
import { rowHashExpr } from "../../src/main/forensics/row-hash.ts";
import { closeSide, openSide } from "../../src/main/forensics/side.ts";
import { findTable, tableColumns } from "../../src/main/forensics/table-info.ts";
import { nullJournal } from "../../src/main/journal/journal.ts";
import type { ConnInfo } from "../../src/main/postgres/conn-info.ts";
import { withClient } from "../../src/main/postgres/connect.ts";
import type { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { startCluster } from "../harness/pg.ts";

const log = (s: string) => console.log(`  ${s}`);

async function run(conn: ConnInfo, sql: string): Promise<void> {
  await withClient(conn, async (c) => void (await c.query(sql)));
}

/** Peak RSS growth of this process while fn runs, sampled every 10 ms. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakDeltaMb: number; seconds: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakDeltaMb: (peak - base) / 1024 / 1024, seconds: (performance.now() - t0) / 1000 };
  } finally {
    clearInterval(timer);
  }
}

const TABLE = `CREATE TABLE notes (id bigint PRIMARY KEY, patient_id int NOT NULL, author text NOT NULL,
  created_at timestamptz NOT NULL, title text NOT NULL, body text, amount numeric(10,2), tags text[])`;
const fill = (rows: number) => `INSERT INTO notes SELECT g, g % 20000, 'cl' || md5((g % 40)::text),
  timestamptz '2023-01-01 00:00:00+00' + g * interval '37 seconds', 'Progress note ' || g, repeat(md5(g::text), 6),
  (g % 100000) / 100.0, ARRAY['follow-up', (g % 7)::text] FROM generate_series(1, ${rows}) g`;
// The incident: 1% deleted, 1% updated. Later: a tenth of the updated rows changed again (0.1%: conflicts), new rows.
const INCIDENT = `DELETE FROM notes WHERE id % 100 = 0; UPDATE notes SET body = NULL, amount = 0 WHERE id % 100 = 50`;
const LATER = `UPDATE notes SET title = 'edited since' WHERE id % 1000 = 50;
  INSERT INTO notes SELECT g, 1, 'clnew', now(), 'new', 'new', 1, NULL FROM generate_series(100000001, 100000500) g`;

interface States {
  before: ConnInfo;
  damaged: ConnInfo;
  production: ConnInfo;
}

async function makeStates(cluster: LocalCluster, prefix: string, rows: number): Promise<States> {
  await cluster.query(`CREATE DATABASE ${prefix}_before`);
  const before = cluster.conn(`${prefix}_before`);
  await run(before, `${TABLE}; ${fill(rows)}`);
  await cluster.query(`CREATE DATABASE ${prefix}_prod TEMPLATE ${prefix}_before`);
  const production = cluster.conn(`${prefix}_prod`);
  await run(production, INCIDENT);
  await cluster.query(`CREATE DATABASE ${prefix}_damaged TEMPLATE ${prefix}_prod`);
  await run(production, LATER);
  const damaged = cluster.conn(`${prefix}_damaged`);
  await Promise.all([before, damaged, production].map((c) => run(c, "VACUUM ANALYZE")));
  return { before, damaged, production };
}

/** One keyset scan of the table as the plan reads each state: every page of (key, row hash). */
async function keysetScan(conn: ConnInfo): Promise<number> {
  const side = await openSide("before state", conn, "snapshot");
  try {
    const table = (await findTable(side.client, "notes"))!;
    const cols = await tableColumns(side.client, table);
    let n = 0;
    for await (const page of keyPages(side, {
      table,
      keyCols: [keyColumn(cols[0]!)],
      hashExpr: rowHashExpr("hash_record_extended", cols),
      pageRows: 10_000,
    }))
      n += page.keys.length;
    return n;
  } finally {
    await closeSide(side);
  }
}

export async function benchRepair(opts: { rows?: number } = {}): Promise<Record<string, unknown>> {
  const rows = opts.rows ?? Number(process.env.LIFEBOAT_BENCH_ROWS ?? 1_000_000);
  const cluster = await startCluster({ settings: { shared_buffers: "256MB", max_wal_size: "4GB" } });
  const plansDir = await mkdtemp(join(tmpdir(), "lifeboat-repair-bench-"));
  const ctx = { journal: nullJournal() };
  const plan = (s: States) =>
    makeRepairPlan(
      { ...s, sources: { before: "before", damaged: "damaged" } },
      { tables: ["notes"], followForeignKeys: false, plansDir },
      ctx,
    );
  try {
    log(`generating three states of ${rows.toLocaleString("en")} rows, and of a quarter of that…`);
    const full = await makeStates(cluster, "full", rows);
    const quarter = await makeStates(cluster, "quarter", Math.floor(rows / 4));
    // Warm every cache the same way, and load the code, before anything is timed.
    for (const s of [full, quarter]) await Promise.all(Object.values(s).map((c) => keysetScan(c)));
    await plan(quarter);

    const scan = await withPeakRss(() => keysetScan(full.before));
    log(
      `baseline: one keyset scan (key + row hash) of ${scan.value.toLocaleString("en")} rows: ${scan.seconds.toFixed(2)} s`,
    );
    const q = await withPeakRss(() => plan(quarter));
    log(
      `plan of a quarter (${Math.floor(rows / 4).toLocaleString("en")} rows): ${q.seconds.toFixed(2)} s, peak RSS +${q.peakDeltaMb.toFixed(1)} MB`,
    );
    const f = await withPeakRss(() => plan(full));
    const p: PlanResult = f.value;
    const c = p.header.totals;
    const want = {
      reinsert: Math.floor(rows / 100),
      restore: Math.floor(rows / 100) - Math.floor(rows / 1000),
      conflict: Math.floor(rows / 1000),
    };
    if (c.reinsert !== want.reinsert || c.restore !== want.restore || c.conflict !== want.conflict || c.later !== 500)
      throw new Error(`plan counts are wrong: ${JSON.stringify(c)}, expected ${JSON.stringify(want)} and 500 later`);
    log(
      `plan of ${rows.toLocaleString("en")} rows: ${f.seconds.toFixed(2)} s = ${(f.seconds / scan.seconds).toFixed(2)}x one keyset scan, peak RSS +${f.peakDeltaMb.toFixed(1)} MB (goal <= 15 s, <= 3x)`,
    );

    // 20,000 repairs: the re-inserts and restores, plus the conflicts decided "take before".
    const dir = plansDir;
    const all = await decisionsForAll(dir, p.header.planId, "public.notes", "conflict", "take-before");
    await recordDecisions(dir, p.header.planId, all, ctx);
    const decisions = await loadDecisions(dir, p.header.planId);
    const apply = await withPeakRss(() =>
      applyRepairPlan(
        full.production,
        // The bench journals nothing: the digest the journal would hold is the one the plan returned.
        { planPath: p.path, journaledDigest: p.digest, dryRun: false, confirm: full.production.database, decisions },
        ctx,
      ),
    );
    const t = apply.value.tables[0]!;
    const repairs = t.inserted + t.updated + t.deleted;
    if (repairs !== c.reinsert + c.restore + c.conflict)
      throw new Error(`apply made ${repairs} repairs, expected ${c.reinsert + c.restore + c.conflict}`);
    log(
      `apply of ${repairs.toLocaleString("en")} repairs in one transaction: ${apply.seconds.toFixed(2)} s, peak RSS +${apply.peakDeltaMb.toFixed(1)} MB (goal <= 5 s)`,
    );
    return {
      rows,
      baseline_keyset_scan_s: Number(scan.seconds.toFixed(2)),
      plan_s: Number(f.seconds.toFixed(2)),
      plan_ratio_vs_scan: Number((f.seconds / scan.seconds).toFixed(2)),
      plan_quarter_s: Number(q.seconds.toFixed(2)),
      peak_rss_delta_mb: Number(f.peakDeltaMb.toFixed(1)),
      peak_rss_delta_mb_quarter: Number(q.peakDeltaMb.toFixed(1)),
      plan_counts: c,
      plan_bytes: p.bytes,
      apply_repairs: repairs,
      apply_s: Number(apply.seconds.toFixed(2)),
      goals: { plan_s: 15, plan_ratio: 3, apply_s: 5 },
      goals_met: f.seconds <= 15 && f.seconds / scan.seconds <= 3 && apply.seconds <= 5,
    };
  } finally {
    await cluster.destroy().catch(() => undefined);
    await rm(plansDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchRepair(), null, 2));
}
