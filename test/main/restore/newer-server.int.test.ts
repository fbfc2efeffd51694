// Restoring an older archive into a newer server is PostgreSQL's normal upgrade path: a PostgreSQL 15 backup restores
// into PostgreSQL 18 with the pg_restore that reads the archive (15 here: no 18 client tools are installed), proven.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LocalCluster } from "../../../src/main/postgres/local-cluster.ts";
import { tableChecksums } from "../../../src/main/postgres/snapshot-counts.ts";
import { runCli } from "../../harness/cli.ts";
import { startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { pg18SkipReason, startPg18 } from "../../harness/pg.ts";

let env: LifeboatEnv | undefined;
let pg18: LocalCluster | null = null;
let skip: string | undefined = pg18SkipReason();

before(async () => {
  if (skip) return;
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  pg18 = await startPg18();
});
after(async () => {
  await pg18?.destroy();
  await env?.stop();
});

test("a PostgreSQL 15 backup restores into a PostgreSQL 18 server, proven by every count", async (t) => {
  if (skip) return t.skip(skip);
  const backup = await env!.cli(["backup", "--json"]);
  assert.equal(backup.code, 0, backup.stdout);
  assert.equal(backup.json!.value.server.major, 15);
  const newer = {
    name: "newer",
    database: {
      host: "127.0.0.1",
      port: pg18!.port,
      database: "postgres",
      user: pg18!.user,
      password: "env:PG18_PASSWORD",
      sslmode: "disable",
    },
    storage: env!.profile.storage,
    encryption: env!.profile.encryption,
  };
  const config = join(env!.dir, "two-servers.json");
  await writeFile(config, JSON.stringify({ version: 1, profiles: [env!.profile, newer] }), { mode: 0o600 });
  const r = await runCli(
    [
      "--config",
      config,
      "restore",
      backup.json!.value.id,
      "-p",
      "clinic",
      "--target-profile",
      "newer",
      "--target-db",
      "clinic_on_18",
      "--json",
    ],
    { env: { ...env!.env, PG18_PASSWORD: pg18!.conn().password } },
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.ok(r.json!.value.tables.every((x: { ok: boolean }) => x.ok));
  assert.deepEqual(await tableChecksums(pg18!.conn("clinic_on_18")), await tableChecksums(env!.cluster.conn("clinic")));
});
