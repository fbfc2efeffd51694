// The diff streams: a 200,000-row table is compared with memory bounded by the page size, not the table size.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { diffTable } from "../../../src/main/forensics/diff-table.ts";
import { nullJournal } from "../../../src/main/journal/journal.ts";
import { useCluster } from "../../harness/pg.ts";
import { sql } from "./forensics-fixture.ts";

const ROWS = 200_000;

describe("streaming diff", () => {
  const cluster = useCluster();

  test(`a ${ROWS.toLocaleString("en")}-row diff holds a few pages, and RSS grows little`, async () => {
    const c = cluster();
    await c.query("CREATE DATABASE big_prod");
    await sql(
      c.conn("big_prod"),
      `CREATE TABLE notes (id bigint PRIMARY KEY, patient int NOT NULL, written timestamptz NOT NULL, body text);
       INSERT INTO notes SELECT g, g % 5000, timestamptz '2025-01-01' + g * interval '1 minute', repeat(md5(g::text), 3) FROM generate_series(1, ${ROWS}) g;`,
    );
    await sql(c.conn("big_prod"), "ANALYZE notes");
    await c.query("CREATE DATABASE big_branch TEMPLATE big_prod");
    await sql(
      c.conn("big_prod"),
      `DELETE FROM notes WHERE id % 1000 = 0; UPDATE notes SET body = 'edited' WHERE id % 997 = 0 AND id % 1000 <> 0;`,
    );
    const expectedChanged = Number(
      (await sql(c.conn("big_prod"), `SELECT count(*) AS n FROM notes WHERE body = 'edited'`))[0].n,
    );

    const pageRows = 5000;
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    let r;
    const progress: { branchRows: number; estimatedRows: number | null }[] = [];
    try {
      r = await diffTable(
        c.conn("big_branch"),
        c.conn("big_prod"),
        "notes",
        { pageRows, onProgress: (p) => void progress.push(p) },
        { journal: nullJournal() },
      );
    } finally {
      clearInterval(timer);
    }
    const growthMb = (peak - base) / 1024 / 1024;
    console.log(
      `# ${ROWS} rows compared in ${(r.durationMs / 1000).toFixed(2)} s; peak RSS growth ${growthMb.toFixed(1)} MB; at most ${r.peakBufferedRows} rows held`,
    );
    assert.equal(r.missingInProduction, ROWS / 1000);
    assert.equal(r.changed, expectedChanged);
    assert.equal(r.counts.branch, ROWS);
    // Two pages per side at most: the current one and the one read ahead.
    assert.ok(r.peakBufferedRows <= 4 * pageRows, `held ${r.peakBufferedRows} rows`);
    // Holding both tables' keys and hashes would take well over 100 MB of JS strings and arrays.
    assert.ok(growthMb < 64, `RSS grew ${growthMb.toFixed(1)} MB`);
    // Progress after every page, never going backwards, with the table's estimated size for a percentage.
    assert.ok(progress.length >= (2 * ROWS) / pageRows, `${progress.length} progress reports`);
    assert.ok(progress.every((p, i) => i === 0 || p.branchRows >= progress[i - 1]!.branchRows));
    assert.ok(Math.abs(progress[0]!.estimatedRows! - ROWS) < ROWS / 10, `estimated ${progress[0]!.estimatedRows}`);
  });
});
