import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { findServerBinDir, freePort, LocalCluster } from "../../../src/main/postgres/local-cluster.ts";
import { startPg18, pg18SkipReason } from "../../harness/pg.ts";

describe("LocalCluster", () => {
  const clusters: LocalCluster[] = [];
  after(async () => {
    for (const c of clusters) await c.destroy().catch(() => {});
  });

  test("finds the server binaries", async () => {
    const dir = await findServerBinDir();
    assert.ok(existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")));
    assert.equal(await findServerBinDir({ major: 15 }), "/usr/lib/postgresql/15/bin");
    await assert.rejects(
      findServerBinDir({ major: 9 }),
      (e: Error & { code?: string; hint?: string }) => e.code === "TOOLS_MISSING" && /PG_BIN/.test(e.hint ?? ""),
    );
  });

  test("creates a password-protected loopback cluster, stops, restarts, attaches and removes its folder", async () => {
    const c = await LocalCluster.create({ password: "s3cret-Pw!", settings: { work_mem: "8MB" } });
    clusters.push(c);
    assert.equal(
      c.major,
      Math.floor(Number((await c.query("SHOW server_version_num")).rows[0].server_version_num) / 10000),
    );
    assert.equal(c.conn().password, "s3cret-Pw!");
    const r = await c.query(
      "SELECT current_setting('listen_addresses') AS l, current_setting('unix_socket_directories') AS s, current_setting('work_mem') AS w, current_setting('fsync') AS f, current_setting('password_encryption') AS p",
    );
    assert.deepEqual(r.rows[0], { l: "127.0.0.1", s: c.dataDir, w: "8MB", f: "on", p: "scram-sha-256" });
    // The password file given to initdb is gone, and the data folder is private.
    assert.equal((await stat(c.dataDir)).mode & 0o077, 0);
    const hba = await c.query("SELECT DISTINCT auth_method FROM pg_hba_file_rules");
    assert.deepEqual(
      hba.rows.map((x) => x.auth_method),
      ["scram-sha-256"],
    );

    await c.query("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
    await c.stop();
    await assert.rejects(c.query("SELECT 1"), (e: Error & { code?: string }) => e.code === "PG_UNREACHABLE");
    await c.start();
    assert.equal((await c.query("SELECT x FROM kept")).rows[0].x, 42);
    await c.stop();

    // A restart on another port, as the sandbox does after a reboot.
    const port = await freePort();
    const again = LocalCluster.attach(c.dataDir, c.binDir, port, { password: "s3cret-Pw!" });
    await again.start();
    try {
      assert.equal(again.port, port);
      assert.equal(again.major, c.major);
      assert.equal((await again.query("SELECT x FROM kept")).rows[0].x, 42);
    } finally {
      await again.stop();
    }
    assert.ok(existsSync(c.dataDir), "attach never deletes the folder");
    await c.destroy();
    assert.ok(!existsSync(c.dataDir), "destroy removed the folder it made");
  });

  test("a random password is made when none is given", async () => {
    const c = await LocalCluster.create({ settings: { fsync: "off" } });
    clusters.push(c);
    assert.ok((c.conn().password ?? "").length >= 20);
    assert.equal((await c.query("SELECT current_setting('fsync') AS f")).rows[0].f, "off");
    await c.destroy();
  });

  test("runs the embedded PostgreSQL 18 server", { skip: pg18SkipReason() }, async () => {
    const c = await startPg18();
    assert.ok(c);
    clusters.push(c);
    assert.equal(c.major, 18);
    const r = await c.query("SELECT current_setting('server_version_num')::int AS n");
    assert.ok(r.rows[0].n >= 180000);
    await c.destroy();
  });
});
