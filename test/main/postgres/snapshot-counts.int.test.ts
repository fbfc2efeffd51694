import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pgEnv } from "../../../src/main/postgres/conn-info.ts";
import { withClient } from "../../../src/main/postgres/connect.ts";
import {
  countRows,
  exportSnapshotWithCounts,
  isDatabaseEmpty,
  tableChecksums,
} from "../../../src/main/postgres/snapshot-counts.ts";
import { createDatabase, useCluster } from "../../harness/pg.ts";

const run = promisify(execFile);
const PG15 = "/usr/lib/postgresql/15/bin";

// Tables with names that break naive quoting, a partitioned table (rows live in its leaves) and an empty table.
const SCHEMA = `
CREATE SCHEMA "Odd Schema";
CREATE TABLE public.items (id serial PRIMARY KEY, v text);
CREATE TABLE "Odd Schema"."Mixed ""Quote"" Table" (id int);
CREATE TABLE public.empty_one (id int);
CREATE TABLE public.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE public.events_2024 PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO public.items (v) SELECT md5(g::text) FROM generate_series(1, 1000) g;
INSERT INTO "Odd Schema"."Mixed ""Quote"" Table" SELECT g FROM generate_series(1, 7) g;
INSERT INTO public.events SELECT g, date '2024-06-01' + (g % 400) FROM generate_series(1, 300) g;
`;

/** Rows of one table in a custom-format dump, by reading the COPY block pg_restore prints. */
function copyRows(sql: string, table: string): number {
  const lines = sql.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`COPY ${table} `));
  assert.ok(start >= 0, `dump has a COPY for ${table}`);
  const end = lines.indexOf("\\.", start);
  return end - start - 1;
}

describe("snapshot counts", () => {
  const cluster = useCluster();

  test("counts are exact inside the exported snapshot while rows keep arriving, and equal what pg_dump --snapshot dumps", async () => {
    const db = await createDatabase(cluster());
    const conn = cluster().conn(db);
    await cluster().query(SCHEMA, [], db);
    const dir = await mkdtemp(join(tmpdir(), "lifeboat-snap-"));
    const snap = await exportSnapshotWithCounts(conn);
    try {
      assert.match(snap.snapshotId, /^[0-9A-F]+-[0-9A-F]+-\d+$/);
      assert.deepEqual(snap.counts, [
        { schema: "Odd Schema", table: 'Mixed "Quote" Table', rows: 7 },
        { schema: "public", table: "empty_one", rows: 0 },
        { schema: "public", table: "events_2024", rows: 213 },
        { schema: "public", table: "events_2025", rows: 87 },
        { schema: "public", table: "items", rows: 1000 },
      ]);
      assert.ok(snap.databaseBytes > 1_000_000);

      // Another session commits more rows after the snapshot was taken.
      await cluster().query("INSERT INTO public.items (v) SELECT 'late' FROM generate_series(1, 250)", [], db);
      assert.equal((await countRows(conn)).find((t) => t.table === "items")?.rows, 1250);

      const file = join(dir, "dump.pgdump");
      await run(join(PG15, "pg_dump"), ["-Fc", "-Z0", `--snapshot=${snap.snapshotId}`, "-f", file], {
        env: pgEnv(conn),
      });
      const { stdout } = await run(join(PG15, "pg_restore"), ["-f", "-", file], { maxBuffer: 64 * 1024 * 1024 });
      assert.equal(copyRows(stdout, "public.items"), 1000);
      assert.equal(copyRows(stdout, "public.events_2024"), 213);
      assert.equal(copyRows(stdout, '"Odd Schema"."Mixed ""Quote"" Table"'), 7);
    } finally {
      await snap.release();
      await rm(dir, { recursive: true, force: true });
    }
    // release() ended the transaction: the snapshot can no longer be imported.
    await assert.rejects(
      withClient(conn, async (c) => {
        await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
        await c.query(`SET TRANSACTION SNAPSHOT '${snap.snapshotId}'`);
      }),
      /invalid snapshot identifier|does not exist/,
    );
  });

  test("isDatabaseEmpty tells a fresh database from one with any user object", async () => {
    const db = await createDatabase(cluster());
    const conn = cluster().conn(db);
    const fresh = await isDatabaseEmpty(conn);
    assert.deepEqual({ empty: fresh.empty, tables: fresh.tables }, { empty: true, tables: 0 });

    await cluster().query("CREATE TYPE mood AS ENUM ('ok', 'sad')", [], db);
    const typeOnly = await isDatabaseEmpty(conn);
    assert.equal(typeOnly.empty, false);
    assert.match(typeOnly.detail, /1 type \(public\.mood\)/);

    await cluster().query(
      "CREATE TABLE t1 (id serial); CREATE TABLE t2 (id int); CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
      [],
      db,
    );
    const full = await isDatabaseEmpty(conn);
    assert.equal(full.empty, false);
    assert.equal(full.tables, 2);
    assert.match(full.detail, /2 tables \(public\.t1, public\.t2\)/);
    assert.match(full.detail, /1 sequence/);
    assert.match(full.detail, /1 function/);
  });

  test("tableChecksums changes with the data and not with insertion order", async () => {
    const a = await createDatabase(cluster());
    const b = await createDatabase(cluster());
    await cluster().query(
      "CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 100) g",
      [],
      a,
    );
    await cluster().query(
      "CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, md5(g::text) FROM generate_series(100, 1, -1) g",
      [],
      b,
    );
    const ca = await tableChecksums(cluster().conn(a));
    assert.deepEqual(Object.keys(ca), ["public.t"]);
    assert.deepEqual(await tableChecksums(cluster().conn(b)), ca);
    await cluster().query("UPDATE t SET v = 'changed' WHERE id = 50", [], b);
    assert.notDeepEqual(await tableChecksums(cluster().conn(b)), ca);
  });
});
