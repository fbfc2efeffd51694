import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { connect, serverVersion, withClient } from "../../../src/main/postgres/connect.ts";
import { freePort } from "../../../src/main/postgres/local-cluster.ts";
import { useCluster } from "../../harness/pg.ts";

const PASSWORD = "correct-horse-battery-staple";

describe("connect", () => {
  const cluster = useCluster({ password: PASSWORD });

  test("connects and reads the server version", async () => {
    const v = await withClient(cluster().conn(), (c) => serverVersion(c));
    assert.equal(v.major, cluster().major);
    assert.match(v.version, new RegExp(`^${cluster().major}\\.\\d+$`));
    assert.ok(v.num >= cluster().major * 10000 && v.num < (cluster().major + 1) * 10000);
  });

  test("a wrong password is PG_AUTH, and nothing the operator sees holds either password", async () => {
    const wrong = "wrong-password-4242";
    const conn = { ...cluster().conn(), password: wrong };
    const err = await connect(conn).then(
      () => assert.fail("connected with a wrong password"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof LifeboatError);
    assert.equal(err.code, "PG_AUTH");
    assert.equal(err.message, `password authentication failed for user postgres at 127.0.0.1:${cluster().port}`);
    assert.match(err.hint ?? "", /lifeboat secret set/);
    const shown = JSON.stringify(err.toInfo()) + String(err.stack);
    assert.ok(!shown.includes(wrong) && !shown.includes(PASSWORD));
  });

  test("a closed port is PG_UNREACHABLE", async () => {
    const port = await freePort();
    await assert.rejects(
      connect({ host: "127.0.0.1", port, database: "postgres", user: "postgres", password: "x", sslmode: "disable" }),
      (e: unknown) => {
        assert.ok(e instanceof LifeboatError);
        assert.equal(e.code, "PG_UNREACHABLE");
        assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
        assert.match(e.hint ?? "", /suspended/);
        return true;
      },
    );
  });

  test("a missing database is PG_ERROR naming it", async () => {
    await assert.rejects(
      connect(cluster().conn("no_such_db")),
      (e: unknown) =>
        e instanceof LifeboatError && e.code === "PG_ERROR" && /"no_such_db" does not exist/.test(e.message),
    );
  });

  test("sslmode prefer falls back to plain TCP on a server without SSL; require does not", async () => {
    await withClient({ ...cluster().conn(), sslmode: "prefer" }, async (c) =>
      assert.equal((await c.query("SELECT 1 AS one")).rows[0].one, 1),
    );
    await assert.rejects(
      connect({ ...cluster().conn(), sslmode: "require" }),
      (e: unknown) => e instanceof LifeboatError && e.code === "PG_ERROR" && /SSL/.test(e.message),
    );
  });
});
