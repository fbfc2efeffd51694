// Dangerous restore targets are refused (template databases always; `postgres`, databases with data or sessions unless
// the overwrite is forced and confirmed), and the overwrite of a whole database works on any schema, partitioned
// tables with primary keys and foreign keys included: it restores into a staging database and swaps the names in one
// transaction, keeping what it replaced, its owner, privileges and settings carried over.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "../../../src/main/postgres/connect.ts";
import { tableChecksums } from "../../../src/main/postgres/snapshot-counts.ts";
import { startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let backupId: string;

const PARTITIONS = `
CREATE TABLE "Measurement" (id int, taken date, value numeric, PRIMARY KEY (id, taken)) PARTITION BY RANGE (taken);
CREATE TABLE "Measurement_2024" PARTITION OF "Measurement" FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE "Measurement_2025" PARTITION OF "Measurement" FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO "Measurement" SELECT g, DATE '2024-03-01' + (g % 600), g * 1.5 FROM generate_series(1, 2000) g;
CREATE TABLE "Alarm" (id int PRIMARY KEY, m_id int, m_taken date, FOREIGN KEY (m_id, m_taken) REFERENCES "Measurement");
INSERT INTO "Alarm" SELECT g, g, DATE '2024-03-01' + (g % 600) FROM generate_series(1, 50) g;`;

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  await env.cluster.query(PARTITIONS, [], "clinic");
  const r = await env.cli(["backup", "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  backupId = r.json!.value.id;
});
after(async () => env?.stop());

const names = async (): Promise<string[]> =>
  (await env!.cluster.query("SELECT datname FROM pg_database ORDER BY 1")).rows.map((r) => r.datname as string);

describe("dangerous targets", () => {
  test("a template database is refused even with --force --confirm, and is left untouched", async (t) => {
    if (skip) return t.skip(skip);
    for (const extra of [[], ["--force", "--confirm", "template1"]]) {
      const r = await env!.cli(["restore", backupId, "--target-db", "template1", ...extra, "--json"]);
      assert.equal(r.code, 8, r.stdout);
      assert.equal(r.json!.error!.code, "TARGET_REFUSED");
      assert.match(r.json!.error!.message, /template database: every database created on that server afterwards/);
    }
    const tables = await env!.cluster.query(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
      [],
      "template1",
    );
    assert.equal(tables.rows[0].n, 0, "nothing was restored into template1");
  });

  test("`postgres` and an empty database somebody is connected to are refused unless the overwrite is chosen", async (t) => {
    if (skip) return t.skip(skip);
    const pg = await env!.cli(["restore", backupId, "--target-db", "postgres", "--json"]);
    assert.equal(pg.code, 8, pg.stdout);
    assert.match(pg.json!.error!.message, /default maintenance database/);
    assert.match(pg.json!.error!.hint!, /--force --confirm postgres/);

    await env!.cluster.query("CREATE DATABASE in_use");
    const session = await connect({ ...env!.cluster.conn("in_use"), database: "in_use" });
    try {
      await session.query("SET application_name = 'billing-app'");
      const r = await env!.cli(["restore", backupId, "--target-db", "in_use", "--json"]);
      assert.equal(r.code, 8, r.stdout);
      assert.equal(r.json!.error!.code, "TARGET_REFUSED");
      assert.match(r.json!.error!.message, /1 other session is connected to it \(billing-app\)/);
      const forced = await env!.cli([
        "restore",
        backupId,
        "--target-db",
        "in_use",
        "--force",
        "--confirm",
        "in_use",
        "--json",
      ]);
      assert.equal(forced.code, 8, "a whole database cannot be replaced under a connected application");
      assert.match(forced.json!.error!.hint!, /pg_terminate_backend/);
    } finally {
      await session.end();
    }
  });
});

describe("overwriting a whole database", () => {
  test("partitioned tables with primary and foreign keys: replaced atomically, proven, the old one kept and named", async (t) => {
    if (skip) return t.skip(skip);
    // The target: a database that holds other data, owned by another role, with a grant and a setting of its own.
    await env!.cluster.query("CREATE ROLE app_owner; CREATE ROLE reporting");
    await env!.cluster.query("CREATE DATABASE live OWNER app_owner");
    await env!.cluster.query(
      PARTITIONS.replace("generate_series(1, 2000)", "generate_series(1, 10)").replace(
        "generate_series(1, 50)",
        "generate_series(1, 5)",
      ),
      [],
      "live",
    );
    await env!.cluster.query("GRANT CONNECT, TEMPORARY ON DATABASE live TO reporting");
    await env!.cluster.query("ALTER DATABASE live SET work_mem = '7MB'");
    await env!.cluster.query('ALTER DATABASE live SET search_path = "$user", public, extensions');

    const r = await env!.cli(["restore", backupId, "--target-db", "live", "--force", "--confirm", "live", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      await tableChecksums(env!.cluster.conn("live")),
      await tableChecksums(env!.cluster.conn("clinic")),
      "every table, partitions included, equals the source",
    );
    const warnings: string[] = r.json!.value.warnings;
    const kept = /database "(lifeboat_replaced_[0-9a-f]+)"/.exec(warnings.join("\n"))?.[1];
    assert.ok(kept, JSON.stringify(warnings));
    assert.ok((await names()).includes(kept), "what was replaced is kept until the operator drops it");
    const old = await env!.cluster.query(`SELECT count(*)::int AS n FROM "Measurement"`, [], kept);
    assert.equal(old.rows[0].n, 10, "the kept database is the old one, whole");
    assert.ok(!warnings.some((w) => w.startsWith("not carried over")), JSON.stringify(warnings));

    const props = await env!.cluster.query(
      `SELECT pg_get_userbyid(datdba) AS owner, has_database_privilege('reporting', 'live', 'CONNECT') AS conn,
              has_database_privilege('reporting', 'live', 'TEMPORARY') AS temp,
              (SELECT setconfig FROM pg_db_role_setting s WHERE s.setdatabase = d.oid AND s.setrole = 0) AS settings
       FROM pg_database d WHERE datname = 'live'`,
    );
    assert.equal(props.rows[0].owner, "app_owner");
    assert.equal(props.rows[0].conn, true);
    assert.equal(props.rows[0].temp, true);
    assert.deepEqual([...props.rows[0].settings].sort(), ['search_path="$user", public, extensions', "work_mem=7MB"]);
    assert.deepEqual(
      (await names()).filter((n) => n.startsWith("lifeboat_restoring_")),
      [],
      "no staging database is left",
    );

    // Named on the next restore onto that server, with the DROP to run; never dropped by Lifeboat.
    const next = await env!.cli(["restore", backupId, "--target-db", "another_copy", "--json"]);
    assert.equal(next.code, 0, next.stdout);
    assert.ok(
      next.json!.value.warnings.some(
        (w: string) => w.includes(kept) && w.includes("what an earlier overwrite replaced"),
      ),
      JSON.stringify(next.json!.value.warnings),
    );
  });

  test("--table into a database that holds data is refused even when forced: it would drop the table's keys", async (t) => {
    if (skip) return t.skip(skip);
    const before = await tableChecksums(env!.cluster.conn("live"));
    const r = await env!.cli([
      "restore",
      backupId,
      "--target-db",
      "live",
      "--table",
      "Alarm",
      "--force",
      "--confirm",
      "live",
      "--json",
    ]);
    assert.equal(r.code, 8, r.stdout);
    assert.equal(r.json!.error!.code, "TARGET_REFUSED");
    assert.match(r.json!.error!.message, /without its primary key, indexes, constraints/);
    assert.match(r.json!.error!.hint!, /new database/);
    assert.deepEqual(await tableChecksums(env!.cluster.conn("live")), before, "nothing was changed");

    // Into a new database it restores, proven, and says what --table does not bring.
    const copy = await env!.cli(["restore", backupId, "--target-db", "alarm_copy", "--table", "Alarm", "--json"]);
    assert.equal(copy.code, 0, copy.stdout);
    assert.ok(copy.json!.value.warnings.some((w: string) => /not its primary key, indexes/.test(w)));
  });
});
