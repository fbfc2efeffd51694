// diffTable and copyMissingRows on purpose-built tables: changed rows, composite keys of every ordering kind, no key,
// types without a hash function, filters, and the refusals an operator can meet.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { copyMissingRows } from "../../../src/main/forensics/copy-missing-rows.ts";
import { diffTable } from "../../../src/main/forensics/diff-table.ts";
import { nullJournal } from "../../../src/main/journal/journal.ts";
import type { ConnInfo } from "../../../src/main/postgres/conn-info.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";
import { createDatabase, useCluster } from "../../harness/pg.ts";
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pgEnv } from "../../../src/main/postgres/conn-info.ts";
import { sql, tableDigest } from "./forensics-fixture.ts";

const ctx = { journal: nullJournal() };
const run = promisify(execFile);

describe("diffTable and copyMissingRows on real databases", () => {
  const cluster = useCluster();
  let branch: ConnInfo;
  let production: ConnInfo;
  let prodDb: string;
  let icu: string | undefined;

  /** The same DDL and rows on both sides; then `damage` runs on production only. */
  async function both(ddlAndRows: string, damage: string): Promise<void> {
    await sql(branch, ddlAndRows);
    await sql(production, ddlAndRows);
    if (damage) await sql(production, damage);
  }

  before(async () => {
    const b = await createDatabase(cluster(), "branch");
    prodDb = await createDatabase(cluster(), "prod");
    branch = cluster().conn(b);
    production = cluster().conn(prodDb);
    icu = (
      await sql(branch, `SELECT collname FROM pg_collation WHERE collprovider = 'i' AND collname = 'und-x-icu'`)
    )[0]?.collname;
  });

  test("changed rows are found by their row hash; missing and extra too", async () => {
    await both(
      `CREATE TABLE items (id bigint PRIMARY KEY, name text, qty numeric(10,2), at timestamptz, tags text[]);
       INSERT INTO items SELECT g, 'item ' || g, g / 3.0, timestamptz '2026-01-01' + g * interval '1 minute', ARRAY['a', g::text] FROM generate_series(1, 2000) g;`,
      `UPDATE items SET qty = qty + 1 WHERE id IN (5, 700);
       UPDATE items SET tags = ARRAY['a'] WHERE id = 1999;
       DELETE FROM items WHERE id IN (3, 1500);
       INSERT INTO items VALUES (5000, 'new', 1, now(), NULL), (-7, 'negative', 1, now(), NULL);`,
    );
    const seen: string[] = [];
    const r = await diffTable(
      branch,
      production,
      "items",
      { pageRows: 300, onDifference: (v, k) => void seen.push(`${v}:${k[0]}`) },
      ctx,
    );
    assert.equal(r.rowHash, "hash_record_extended");
    assert.deepEqual([r.missingInProduction, r.changed, r.extraInProduction, r.identical], [2, 3, 2, 1995]);
    assert.deepEqual(r.sampleChanged, [{ id: "5" }, { id: "700" }, { id: "1999" }]);
    assert.deepEqual(seen, [
      "extra:-7",
      "missing:3",
      "changed:5",
      "changed:700",
      "missing:1500",
      "changed:1999",
      "extra:5000",
    ]);
    assert.deepEqual(r.counts, { branch: 2000, production: 2000 });
    assert.ok(r.peakBufferedRows <= 4 * 300, `held ${r.peakBufferedRows} rows`);
  });

  test("composite keys: integer + text (keyset pages as JSON), with commas, quotes and non-ASCII in the keys", async () => {
    await both(
      `CREATE TABLE visits (clinic int, code text, seen date, PRIMARY KEY (clinic, code));
       INSERT INTO visits SELECT c, k, date '2026-01-01' + c FROM generate_series(1, 30) c,
         unnest(ARRAY['a', 'B', 'a,b', 'quote"d', 'back\\slash', 'é', '日本', '😀', 'zz', '']) k;`,
      `DELETE FROM visits WHERE code IN ('a,b', '😀') AND clinic = 7;
       UPDATE visits SET seen = seen + 1 WHERE clinic = 12 AND code = '日本';`,
    );
    const r = await diffTable(branch, production, "visits", { pageRows: 17 }, ctx);
    assert.deepEqual(r.primaryKey, ["clinic", "code"]);
    assert.deepEqual([r.missingInProduction, r.changed, r.extraInProduction], [2, 1, 0]);
    assert.deepEqual(r.sampleMissing, [
      { clinic: "7", code: "a,b" },
      { clinic: "7", code: "😀" },
    ]);
    assert.deepEqual(r.sampleChanged, [{ clinic: "12", code: "日本" }]);
    const copied = await copyMissingRows(
      branch,
      production,
      "visits",
      { dryRun: false, confirm: prodDb, keys: [["7", "😀"]] },
      ctx,
    );
    assert.equal(copied.rows, 1);
  });

  test("keys the index cannot order like Node (timestamps, a linguistic collation) are read through a sorted cursor", async () => {
    await both(
      `CREATE TABLE readings (taken timestamptz, sensor text ${icu ? `COLLATE "${icu}"` : ""}, value float8, PRIMARY KEY (taken, sensor));
       INSERT INTO readings SELECT timestamptz '2025-12-31 23:00:00+00' + (g % 50) * interval '7 minutes', s, g * 0.5
       FROM generate_series(1, 50) g, unnest(ARRAY['alpha', 'Beta', 'beta', 'Ärger', 'zeta']) s;`,
      `DELETE FROM readings WHERE sensor = 'Beta' AND value > 20; UPDATE readings SET value = -1 WHERE sensor = 'Ärger' AND value = 5;`,
    );
    const r = await diffTable(branch, production, "readings", { pageRows: 13 }, ctx);
    assert.equal(r.missingInProduction, 10);
    assert.equal(r.changed, 1);
    assert.equal(r.extraInProduction, 0);
    const copied = await copyMissingRows(branch, production, "readings", { dryRun: false, confirm: prodDb }, ctx);
    assert.equal(copied.rows, 10);
    const after = await diffTable(branch, production, "readings", { pageRows: 13 }, ctx);
    assert.deepEqual([after.missingInProduction, after.changed, after.extraInProduction], [0, 1, 0]);
  });

  test("a table without a primary key: a clear refusal offering --full-row, and the full-row comparison counts a multiset", async () => {
    await both(
      `CREATE TABLE events_log (msg text, n int); INSERT INTO events_log VALUES ('a', 1), ('a', 1), ('b', 2), ('c', 3);`,
      `DELETE FROM events_log WHERE ctid = (SELECT min(ctid) FROM events_log WHERE msg = 'a'); INSERT INTO events_log VALUES ('d', 4);`,
    );
    await assert.rejects(
      diffTable(branch, production, "events_log", {}, ctx),
      (e: unknown) =>
        isLifeboatError(e) &&
        e.code === "NO_PRIMARY_KEY" &&
        /no primary key/.test(e.message) &&
        /--full-row/.test(e.hint ?? ""),
    );
    await assert.rejects(
      copyMissingRows(branch, production, "events_log", { dryRun: true }, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "NO_PRIMARY_KEY",
    );
    const r = await diffTable(branch, production, "events_log", { fullRow: true }, ctx);
    assert.equal(r.mode, "full-row");
    assert.deepEqual([r.missingInProduction, r.extraInProduction, r.identical], [1, 1, 3]);
    assert.deepEqual(r.sampleMissing, [{ msg: "a", n: 1 }]);
    assert.deepEqual(r.sampleExtra, [{ msg: "d", n: 4 }]);
  });

  test("types without a hash function fall back to md5 of the row text", async () => {
    await both(
      `CREATE TABLE docs (id int PRIMARY KEY, body json, at timestamptz); INSERT INTO docs SELECT g, json_build_object('g', g), timestamptz '2026-01-01 00:00:00+00' FROM generate_series(1, 50) g;`,
      `UPDATE docs SET body = '{"g": 0}' WHERE id = 9;`,
    );
    // The md5 path must not see a difference that is only the session's TimeZone: set production's to something else.
    await sql(production, `ALTER DATABASE "${prodDb}" SET TimeZone = 'Asia/Tokyo'`);
    try {
      const r = await diffTable(branch, production, "docs", {}, ctx);
      assert.equal(r.rowHash, "md5");
      assert.deepEqual([r.missingInProduction, r.changed, r.extraInProduction], [0, 1, 0]);
      assert.deepEqual(r.sampleChanged, [{ id: "9" }]);
    } finally {
      await sql(production, `ALTER DATABASE "${prodDb}" RESET TimeZone`);
    }
  });

  test("two separately restored databases with enum columns: only the row really changed differs (enums compared by label, not OID)", async () => {
    // One dump restored twice: each restore creates the enum types anew, with OIDs of its own.
    const src = await createDatabase(cluster(), "enumsrc");
    await sql(
      cluster().conn(src),
      `CREATE TYPE mood AS ENUM ('calm', 'angry'); CREATE DOMAIN mood_d AS mood; CREATE TYPE wrap AS (m mood, n int);
       CREATE TABLE moods (id int PRIMARY KEY, m mood, ms mood[], d mood_d, w wrap);
       INSERT INTO moods SELECT g, 'calm', ARRAY['calm', 'angry']::mood[], 'angry', ROW('calm'::mood, g)::wrap FROM generate_series(1, 300) g;
       CREATE TABLE mood_log (m mood, at int); INSERT INTO mood_log SELECT 'angry', g FROM generate_series(1, 40) g;`,
    );
    const dump = join(await mkdtemp(join(tmpdir(), "lb-enum-")), "src.dump");
    const bin = (n: string) => join(cluster().binDir, n);
    await run(bin("pg_dump"), ["-Fc", "-f", dump], { env: pgEnv(cluster().conn(src)) });
    const a = cluster().conn(await createDatabase(cluster(), "enuma"));
    const b = cluster().conn(await createDatabase(cluster(), "enumb"));
    await sql(b, `CREATE TYPE shift_the_oids AS ENUM ('x')`);
    for (const c of [a, b]) await run(bin("pg_restore"), ["-d", c.database, dump], { env: pgEnv(c) });
    const oids = async (c: ConnInfo) =>
      (await sql(c, `SELECT oid::int AS o FROM pg_enum WHERE enumlabel = 'calm'`))[0]?.o;
    assert.notEqual(await oids(a), await oids(b), "the restores gave the enum labels different OIDs");
    await sql(b, `UPDATE moods SET m = 'angry' WHERE id = 42; DELETE FROM moods WHERE id = 7;`);
    await sql(b, `DELETE FROM mood_log WHERE at = 3`);

    const r = await diffTable(a, b, "moods", { pageRows: 100 }, ctx);
    assert.deepEqual([r.missingInProduction, r.changed, r.extraInProduction, r.identical], [1, 1, 0, 298]);
    assert.deepEqual(r.sampleChanged, [{ id: "42" }]);
    const full = await diffTable(a, b, "mood_log", { fullRow: true }, ctx);
    assert.deepEqual([full.missingInProduction, full.extraInProduction, full.identical], [1, 0, 39]);
    const copy = await copyMissingRows(a, b, "moods", { dryRun: false, confirm: b.database }, ctx);
    assert.deepEqual([copy.missingFound, copy.rows], [1, 1]);
    const again = await diffTable(a, b, "moods", {}, ctx);
    assert.deepEqual([again.missingInProduction, again.changed], [0, 1]);
  });

  test("--where narrows both sides; a filter cannot run a second statement", async () => {
    await both(
      `CREATE TABLE notes (id int PRIMARY KEY, day date); INSERT INTO notes SELECT g, date '2026-01-01' + g % 10 FROM generate_series(1, 100) g;`,
      `DELETE FROM notes WHERE id % 10 = 0;`,
    );
    const r = await diffTable(branch, production, "notes", { where: `day = date '2026-01-01'` }, ctx);
    assert.deepEqual(r.counts, { branch: 10, production: 0 });
    assert.equal(r.missingInProduction, 10);
    await assert.rejects(
      copyMissingRows(
        branch,
        production,
        "notes",
        { dryRun: false, confirm: prodDb, where: `true; DELETE FROM notes` },
        ctx,
      ),
      (e: unknown) => isLifeboatError(e) && e.code === "PG_ERROR",
    );
    assert.equal(Number((await sql(production, "SELECT count(*) AS n FROM notes"))[0].n), 90);
  });

  test("copying rows with explicit ids advances a lagging sequence; identity ALWAYS and generated columns are handled", async () => {
    await both(
      `CREATE TABLE orders (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, serial_no serial, amount int, doubled int GENERATED ALWAYS AS (amount * 2) STORED);
       INSERT INTO orders (amount) SELECT g FROM generate_series(1, 40) g;`,
      `DELETE FROM orders WHERE id > 30; ALTER TABLE orders ALTER COLUMN id RESTART WITH 31; SELECT setval('orders_serial_no_seq', 30);`,
    );
    const r = await copyMissingRows(branch, production, "orders", { dryRun: false, confirm: prodDb }, ctx);
    assert.equal(r.rows, 10);
    assert.deepEqual(r.sequences.map((s) => [s.column, s.setTo]).sort(), [
      ["id", "40"],
      ["serial_no", "40"],
    ]);
    const next = await sql(production, "INSERT INTO orders (amount) VALUES (99) RETURNING id, serial_no, doubled");
    assert.deepEqual(next[0], { id: 41, serial_no: 41, doubled: 198 });
    assert.equal(
      await tableDigest(production, "orders", "t.*", "id", "id <= 40"),
      await tableDigest(branch, "orders", "t.*", "id"),
    );
    const d = await diffTable(branch, production, "orders", {}, ctx);
    assert.deepEqual([d.missingInProduction, d.changed, d.extraInProduction], [0, 0, 1]);
  });

  test("columns present on one side only are left out of the comparison and named", async () => {
    await both(
      `CREATE TABLE people (id int PRIMARY KEY, name text, nickname text); INSERT INTO people SELECT g, 'p' || g, 'n' || g FROM generate_series(1, 20) g;`,
      `ALTER TABLE people DROP COLUMN nickname; ALTER TABLE people ADD COLUMN email text;`,
    );
    const r = await diffTable(branch, production, "people", {}, ctx);
    assert.deepEqual(r.comparedColumns, ["id", "name"]);
    assert.deepEqual(r.columnsOnlyInBranch, ["nickname"]);
    assert.deepEqual(r.columnsOnlyInProduction, ["email"]);
    assert.equal(r.changed, 0);
  });

  test("bad input: unknown table, a key that does not fit, keys that differ between the sides", async () => {
    await assert.rejects(
      diffTable(branch, production, "clinicalnote", {}, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "TABLE_NOT_FOUND" && /case-sensitive/.test(e.hint ?? ""),
    );
    await assert.rejects(
      copyMissingRows(branch, production, "visits", { dryRun: true, keys: [["1"]] }, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "USAGE" && /\(clinic, code\)/.test(e.message),
    );
    await both(
      `CREATE TABLE keyed (a int PRIMARY KEY, b int NOT NULL);`,
      `ALTER TABLE keyed DROP CONSTRAINT keyed_pkey; ALTER TABLE keyed ADD PRIMARY KEY (b);`,
    );
    await assert.rejects(
      diffTable(branch, production, "keyed", {}, ctx),
      (e: unknown) => isLifeboatError(e) && e.code === "SCHEMA_MISMATCH",
    );
  });
});
