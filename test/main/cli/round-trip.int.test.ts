// The core promise, end to end through the CLI: a backup restores, proven by exact row counts taken inside the dump's
// own snapshot, and by every table's data (md5 over ordered rows) on both sides; and it restores with standard tools
// alone (aws, age, zstd, pg_restore), following the manifest's own restore command.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tableChecksums } from "../../../src/main/postgres/snapshot-counts.ts";
import { startLifeboatEnv, DB_PASSWORD, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { runCli } from "../../harness/cli.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;

before(async () => {
  const e = await startLifeboatEnv({ scale: 2 });
  if ("skip" in e) skip = e.skip;
  else env = e;
});
after(async () => env?.stop());

describe("backup, verify and restore round trip", () => {
  let manifest: any;

  test("backup commits a manifest whose row counts equal the database's", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["backup", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    manifest = r.json!.value;
    assert.match(manifest.id, /^\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    const live = await env!.cluster.query(
      `SELECT (SELECT count(*) FROM "Patient")::int AS p, (SELECT count(*) FROM "ClinicalNote")::int AS n`,
      [],
      "clinic",
    );
    const byName = Object.fromEntries(manifest.tables.map((t: any) => [t.table, t.rows]));
    assert.equal(byName.Patient, live.rows[0].p);
    assert.equal(byName.ClinicalNote, live.rows[0].n);
    assert.equal(byName.Patient, 300);
    assert.equal(manifest.encryption.recipients[0], env!.recipient);
    assert.equal(manifest.compression.algorithm, "zstd");
    assert.ok(manifest.object.bytes > 0 && manifest.object.bytes < manifest.dumpBytes, "stored object is compressed");
  });

  test("no secret reaches the manifest, the stored object's key, or the journal", async (t) => {
    if (skip) return t.skip(skip);
    const m = JSON.stringify(manifest);
    for (const secret of [DB_PASSWORD, env!.identity, env!.s3.secretAccessKey]) assert.ok(!m.includes(secret));
    const journalDir = env!.env.LIFEBOAT_JOURNAL_DIR!;
    for (const f of await readdir(journalDir, { recursive: true })) {
      const p = join(journalDir, String(f));
      const text = await readFile(p, "utf8").catch(() => "");
      for (const secret of [DB_PASSWORD, env!.identity]) assert.ok(!text.includes(secret), `${f} holds a secret`);
    }
  });

  test("the backup is listed as restorable; an object without a manifest is not", async (t) => {
    if (skip) return t.skip(skip);
    const { S3Client, PutObjectCommand } = await import("@aws-sdk/client-s3");
    const s3 = new S3Client({
      endpoint: env!.s3.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: env!.s3.accessKeyId, secretAccessKey: env!.s3.secretAccessKey },
    });
    await s3.send(
      new PutObjectCommand({
        Bucket: "lifeboat-backups",
        Key: "nightly/clinic/20200101T000000Z-dead/clinic.pgdump.zst.age",
        Body: "partial",
      }),
    );
    const r = await env!.cli(["backups", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.json!.value.backups.map((b: any) => b.id),
      [manifest.id],
    );
    assert.equal(r.json!.value.incomplete.length, 1);
    const restore = await env!.cli(["restore", "20200101T000000Z-dead", "--target-db", "never_created", "--json"]);
    assert.equal(restore.json!.error!.code, "BACKUP_NOT_FOUND");
    assert.match(restore.json!.error!.message, /no manifest/);
  });

  test("verify proves the archive holds exactly the counted rows", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["verify", manifest.id, "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json!.value.tables.length, manifest.tables.length);
    assert.ok(r.json!.value.tables.every((x: any) => x.ok && x.actual === x.expected));
  });

  test("verify --deep restores into a throwaway cluster and matches every table", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["verify", "latest", "--deep", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json!.value.deep.scratch, "local-cluster");
    assert.equal(r.json!.value.deep.tables.length, manifest.tables.length);
  });

  test("restore into a new database: exit 0, counts equal, and every table's data is identical", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["restore", manifest.id, "--target-db", "clinic_restored", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.json!.value.created, true);
    const src = await tableChecksums(env!.cluster.conn("clinic"));
    const dst = await tableChecksums(env!.cluster.conn("clinic_restored"));
    assert.ok(Object.keys(src).length >= 7);
    assert.deepEqual(dst, src);
  });

  test("parallel restore (--jobs 2) is also proven", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["restore", manifest.id, "--target-db", "clinic_parallel", "--jobs", "2", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      await tableChecksums(env!.cluster.conn("clinic_parallel")),
      await tableChecksums(env!.cluster.conn("clinic")),
    );
  });

  test("a non-empty target is refused, then overwritten only with --force and the typed name", async (t) => {
    if (skip) return t.skip(skip);
    const refused = await env!.cli(["restore", manifest.id, "--target-db", "clinic_restored", "--json"]);
    assert.equal(refused.code, 8);
    assert.equal(refused.json!.error!.code, "TARGET_NOT_EMPTY");
    const unconfirmed = await env!.cli(["restore", manifest.id, "--target-db", "clinic_restored", "--force", "--json"]);
    assert.equal(unconfirmed.json!.error!.code, "CONFIRMATION_REQUIRED");
    const wrong = await env!.cli([
      "restore",
      manifest.id,
      "--target-db",
      "clinic_restored",
      "--force",
      "--confirm",
      "clinic",
      "--json",
    ]);
    assert.equal(wrong.json!.error!.code, "CONFIRMATION_REQUIRED");
    await env!.cluster.query(`DELETE FROM "RefreshToken"`, [], "clinic_restored");
    const ok = await env!.cli([
      "restore",
      manifest.id,
      "--target-db",
      "clinic_restored",
      "--force",
      "--confirm",
      "clinic_restored",
      "--json",
    ]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepEqual(
      await tableChecksums(env!.cluster.conn("clinic_restored")),
      await tableChecksums(env!.cluster.conn("clinic")),
    );
  });

  test("selected tables and schema-only restores are proven against the manifest", async (t) => {
    if (skip) return t.skip(skip);
    const one = await env!.cli([
      "restore",
      manifest.id,
      "--target-db",
      "only_patients",
      "--table",
      "Patient",
      "--no-owner",
      "--no-acl",
      "--json",
    ]);
    assert.equal(one.code, 0, one.stdout + one.stderr);
    assert.deepEqual(
      one.json!.value.tables.map((x: any) => x.table),
      ["public.Patient"],
    );
    const schema = await env!.cli(["restore", manifest.id, "--target-db", "schema_only", "--schema-only", "--json"]);
    assert.equal(schema.code, 0, schema.stdout + schema.stderr);
    const n = await env!.cluster.query(`SELECT count(*)::int AS n FROM "ClinicalNote"`, [], "schema_only");
    assert.equal(n.rows[0].n, 0);
  });

  test("a folder store (USB drive, NAS mount): backup, verify and restore", async (t) => {
    if (skip) return t.skip(skip);
    const folder = join(env!.dir, "usb-drive");
    await mkdir(folder);
    const p = { ...(env!.profile as any), name: "usb", storage: { kind: "folder", path: folder } };
    const config = join(env!.dir, "folder-config.json");
    await writeFile(config, JSON.stringify({ version: 1, profiles: [p] }), { mode: 0o600 });
    const cli = (args: string[]) => runCli(["--config", config, ...args, "--json"], { env: env!.env });
    const b = await cli(["backup"]);
    assert.equal(b.code, 0, b.stdout + b.stderr);
    const files = (await readdir(folder, { recursive: true })).map(String);
    assert.ok(
      files.some((f) => f.endsWith("manifest.json")) && files.some((f) => f.endsWith(".pgdump.zst.age")),
      files.join(","),
    );
    assert.ok(!files.some((f) => f.includes(".partial-")), "no partial files left");
    assert.equal((await cli(["verify", b.json!.value.id])).code, 0);
    const r = await cli(["restore", b.json!.value.id, "--target-db", "from_usb"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(
      await tableChecksums(env!.cluster.conn("from_usb")),
      await tableChecksums(env!.cluster.conn("clinic")),
    );
  });

  test("restoring without Lifeboat: the manifest's command with aws, age, zstd and pg_restore", async (t) => {
    if (skip) return t.skip(skip);
    for (const tool of ["aws", "age", "zstd"]) {
      if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return t.skip(`${tool} is not installed`);
    }
    const keyFile = join(env!.dir, "lifeboat-identity.txt");
    await writeFile(keyFile, env!.identity + "\n", { mode: 0o600 });
    await env!.cluster.query("CREATE DATABASE by_hand");
    const conn = env!.cluster.conn("by_hand");
    // The password goes in PGPASSWORD, as the README says; the URL carries none.
    // Asynchronous on purpose: the S3 server runs in this process and must keep answering while aws downloads.
    const child = spawn("bash", ["-o", "pipefail", "-c", manifest.restoreCommand], {
      cwd: env!.dir,
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: env!.s3.accessKeyId,
        AWS_SECRET_ACCESS_KEY: env!.s3.secretAccessKey,
        AWS_DEFAULT_REGION: "us-east-1",
        PGPASSWORD: DB_PASSWORD,
        TARGET_DATABASE_URL: `postgresql://${conn.user}@127.0.0.1:${conn.port}/by_hand`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(status, 0, stderr);
    assert.deepEqual(await tableChecksums(conn), await tableChecksums(env!.cluster.conn("clinic")));
  });
});
