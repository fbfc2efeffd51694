import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { pgEnv } from "../../../src/main/postgres/conn-info.ts";
import { serverVersion, withClient } from "../../../src/main/postgres/connect.ts";
import type { LocalCluster } from "../../../src/main/postgres/local-cluster.ts";
import { chooseTools, discoverTools } from "../../../src/main/postgres/tools.ts";
import { pg18SkipReason, startPg18 } from "../../harness/pg.ts";

const run = promisify(execFile);

describe("pg_dump discovery on this machine", () => {
  let pg18: LocalCluster | null = null;
  after(async () => {
    await pg18?.destroy();
  });

  test("finds Debian's PostgreSQL 15 client tools", async () => {
    const found = await discoverTools();
    const t15 = found.find((t) => t.dir === "/usr/lib/postgresql/15/bin");
    assert.ok(t15, `found: ${JSON.stringify(found)}`);
    assert.equal(t15.major, 15);
    assert.match(t15.version, /^15\.\d+$/);
    assert.equal(t15.pgRestore, "/usr/lib/postgresql/15/bin/pg_restore");
    assert.equal(t15.psql, "/usr/lib/postgresql/15/bin/psql");
    // /usr/bin/pg_dump is Debian's wrapper around the same binaries: not listed a second time.
    assert.ok(!found.some((t) => t.dir === "/usr/bin"));
  });

  test(
    "refuses a PostgreSQL 18 server when only older pg_dump exists, as pg_dump itself would",
    { skip: pg18SkipReason() },
    async () => {
      pg18 = await startPg18();
      assert.ok(pg18);
      const conn = pg18.conn();
      const server = await withClient(conn, serverVersion);
      assert.equal(server.major, 18);
      const found = (await discoverTools()).filter((t) => t.major < 18);
      assert.ok(found.length > 0);
      assert.throws(
        () => chooseTools(found, server.major, server.version, "linux"),
        (e: unknown) =>
          e instanceof LifeboatError &&
          e.code === "TOOLS_TOO_OLD" &&
          e.message.includes(server.version) &&
          e.message.includes("15 (") &&
          e.message.includes("/usr/lib/postgresql/15/bin") &&
          /postgresql-client-18/.test(e.hint ?? ""),
      );
      // The rule is pg_dump's own: version 15 refuses this server.
      await assert.rejects(
        run("/usr/lib/postgresql/15/bin/pg_dump", ["--schema-only"], { env: pgEnv(conn) }),
        /server version mismatch/,
      );
    },
  );
});
