// The README's "Restoring without Lifeboat" script, taken from the README and run exactly as printed: bash, no
// terminal, the real aws, jq, age, zstd, pg_restore, createdb, psql and OS keychain. It must find the newest backup
// that committed (passing over a newer run that never did), keep owners and grants, check every table's count (a
// table named "Lab Result" included) and the large objects, and stop before the server when the object is damaged.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { tableChecksums } from "../../../src/main/postgres/snapshot-counts.ts";
import { runCli } from "../../harness/cli.ts";
import { BUCKET, DB_PASSWORD, startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let script: string;

const missing = ["aws", "jq", "age", "zstd", "secret-tool"].filter(
  (tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0,
);

before(async () => {
  if (missing.length) return void (skip = `not installed: ${missing.join(", ")}`);
  const readme = await readFile(new URL("../../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Restoring without Lifeboat"));
  const block = /```bash\n([\s\S]*?)\n```/.exec(section);
  assert.ok(block, "the README has the script");
  script = block[1]!;
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  await env.cluster.query(
    `CREATE ROLE reporting;
     CREATE TABLE "Lab Result" (id int PRIMARY KEY, "value" text);
     INSERT INTO "Lab Result" SELECT g, 'v' || g FROM generate_series(1, 37) g;
     GRANT SELECT ON "Lab Result" TO reporting;
     CREATE TABLE "Scan" (id int PRIMARY KEY, document oid);
     INSERT INTO "Scan" VALUES (1, lo_from_bytea(0, 'scan one')), (2, lo_from_bytea(0, 'scan two'));`,
    [],
    "clinic",
  );
});
after(async () => env?.stop());

/** Runs the README's script with these variables; no terminal (stdin closed). */
function runScript(vars: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("bash", ["-c", script], {
    cwd: env!.dir,
    env: {
      PATH: process.env.PATH,
      HOME: env!.dir,
      DBUS_SESSION_BUS_ADDRESS: env!.env.DBUS_SESSION_BUS_ADDRESS,
      PGHOST: "127.0.0.1",
      PGPORT: String(env!.cluster.port),
      PGUSER: env!.cluster.conn().user,
      PGPASSWORD: DB_PASSWORD,
      AWS_ACCESS_KEY_ID: env!.s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: env!.s3.secretAccessKey,
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_ENDPOINT_URL: env!.s3.endpoint,
      LIFEBOAT_IDENTITY_NAME: "test-age-identity",
      ...vars,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  // Asynchronous on purpose: the S3 server runs in this process and must keep answering while aws downloads.
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

const databases = async (): Promise<string[]> =>
  (await env!.cluster.query("SELECT datname FROM pg_database")).rows.map((r) => r.datname as string);

describe("Restoring without Lifeboat, as the README prints it", () => {
  let newest: string;

  test("from S3, identity from the keychain: the newest committed backup, every count checked, owners and grants kept", async (t) => {
    if (skip) return t.skip(skip);
    assert.equal((await env!.cli(["backup"])).code, 0);
    // Backup ids name the second (then a random suffix): the second backup starts in a later second, so it is the newer.
    await new Promise((resolve) => setTimeout(resolve, 1001 - (Date.now() % 1000)));
    const second = await env!.cli(["backup", "--json"]);
    assert.equal(second.code, 0, second.stdout);
    newest = second.json!.value.id;
    // A newer run that never committed: an object and no manifest. It must be passed over.
    await env!.s3.client().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: "nightly/clinic/29991231T000000Z-dead/clinic.pgdump.zst.age",
        Body: "x",
      }),
    );
    const r = await runScript({ BACKUPS: `s3://${BUCKET}/nightly/clinic`, TARGET_DB: "by_hand" });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`newest complete backup: ${newest}`));
    assert.match(r.stdout, /every table's row count equals the manifest/);
    assert.deepEqual(
      await tableChecksums(env!.cluster.conn("by_hand")),
      await tableChecksums(env!.cluster.conn("clinic")),
    );
    const grant = await env!.cluster.query(
      `SELECT has_table_privilege('reporting', '"Lab Result"', 'SELECT') AS g, (SELECT count(*)::int FROM pg_largeobject_metadata) AS lo`,
      [],
      "by_hand",
    );
    assert.equal(grant.rows[0].g, true, "the grant came back");
    assert.equal(grant.rows[0].lo, 2, "the large objects came back");
  });

  test("from a folder store, with the escrow identity file", async (t) => {
    if (skip) return t.skip(skip);
    const folder = join(env!.dir, "usb");
    await mkdir(folder);
    const config = join(env!.dir, "usb.json");
    await writeFile(
      config,
      JSON.stringify({ version: 1, profiles: [{ ...env!.profile, storage: { kind: "folder", path: folder } }] }),
      { mode: 0o600 },
    );
    assert.equal((await runCli(["--config", config, "backup"], { env: env!.env })).code, 0);
    const identity = join(env!.dir, "escrow-identity.txt");
    await writeFile(identity, `${env!.identity}\n`, { mode: 0o600 });
    const r = await runScript({ BACKUPS: join(folder, "clinic"), TARGET_DB: "from_folder", IDENTITY_FILE: identity });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      await tableChecksums(env!.cluster.conn("from_folder")),
      await tableChecksums(env!.cluster.conn("clinic")),
    );
  });

  test("a damaged object stops the script before the database is even created", async (t) => {
    if (skip) return t.skip(skip);
    const key = `nightly/clinic/${newest}/clinic.pgdump.zst.age`;
    const original = Buffer.from(
      await (
        await env!.s3
          .client()
          .send(new (await import("@aws-sdk/client-s3")).GetObjectCommand({ Bucket: BUCKET, Key: key }))
      ).Body!.transformToByteArray(),
    );
    const damaged = Buffer.from(original);
    damaged[damaged.length >> 1]! ^= 0xff;
    await env!.s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: damaged }));
    try {
      const r = await runScript({ BACKUPS: `s3://${BUCKET}/nightly/clinic`, TARGET_DB: "never_made" });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /sha256 differs from the manifest/);
      assert.ok(!(await databases()).includes("never_made"));
    } finally {
      await env!.s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: original }));
    }
  });
});
