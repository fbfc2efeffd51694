// Every child gets only what it needs: pg_dump and pg_restore the connection (password in PGPASSWORD), zstd nothing
// but the basics; none of them the S3 keys, the age identity or anything else Lifeboat's own environment holds.
// The real tools run behind wrappers that record the environment they were given.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { findServerBinDir } from "../../../src/main/postgres/local-cluster.ts";
import { findZstd } from "../../../src/main/compress/zstd-cli.ts";
import { runCli } from "../../harness/cli.ts";
import { DB_PASSWORD, startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";

let env: LifeboatEnv | undefined;
let skip: string | undefined;
let bin: string;
let seen: string;

const POISON = {
  AWS_SECRET_ACCESS_KEY: "aws-secret-should-not-leak",
  LIFEBOAT_IDENTITY_FOR_ENV_REF: "AGE-SECRET-KEY-1SHOULDNOTLEAK",
  NEON_API_KEY: "neon-key-should-not-leak",
  PGPASSWORD: "operators-own-pgpassword",
};

async function wrapper(name: string, real: string): Promise<void> {
  await writeFile(join(bin, name), `#!/bin/sh\nenv > "${seen}/${name}.$$"\nexec "${real}" "$@"\n`);
  await chmod(join(bin, name), 0o755);
}

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) return void (skip = e.skip);
  env = e;
  bin = join(env.dir, "recording-bin");
  seen = join(env.dir, "seen");
  await mkdir(bin);
  await mkdir(seen);
  const real = await findServerBinDir();
  for (const tool of ["pg_dump", "pg_restore", "psql"]) await wrapper(tool, join(real, tool));
  await wrapper("zstd", (await findZstd())!);
});
after(async () => env?.stop());

async function envsOf(tool: string): Promise<Record<string, string>[]> {
  const files = (await readdir(seen)).filter((f) => f.startsWith(`${tool}.`));
  return Promise.all(
    files.map(async (f) =>
      Object.fromEntries(
        (await readFile(join(seen, f), "utf8"))
          .split("\n")
          .filter(Boolean)
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      ),
    ),
  );
}

test("pg_dump, zstd and pg_restore see none of Lifeboat's secrets", async (t) => {
  if (skip) return t.skip(skip);
  const profile = { ...env!.profile, tools: { pgBinDir: bin } };
  const config = join(env!.dir, "recording.json");
  await writeFile(config, JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
  const childEnv = { ...env!.env, ...POISON, LIFEBOAT_ZSTD: join(bin, "zstd") };
  const cli = (args: string[]) => runCli(["--config", config, ...args, "--json"], { env: childEnv });
  const b = await cli(["backup"]);
  assert.equal(b.code, 0, b.stdout);
  const id = b.json!.value.id;
  for (const args of [
    ["--target-db", "env_stream"],
    ["--target-db", "env_jobs", "--jobs", "2"],
  ]) {
    const r = await cli(["restore", id, ...args]);
    assert.equal(r.code, 0, r.stdout);
  }
  assert.equal((await cli(["verify", id])).code, 0);

  const secrets = [
    ...Object.values(POISON),
    env!.s3.secretAccessKey === "S3RVER" ? "TEST_S3_SECRET" : env!.s3.secretAccessKey,
    env!.identity,
  ];
  const names = ["TEST_S3_KEY", "TEST_S3_SECRET", "DBUS_SESSION_BUS_ADDRESS", "LIFEBOAT_JOURNAL_DIR", "LIFEBOAT_ZSTD"];
  for (const tool of ["pg_dump", "pg_restore", "zstd"]) {
    const envs = await envsOf(tool);
    assert.ok(envs.length > 0, `${tool} ran`);
    for (const e of envs) {
      for (const s of secrets) assert.ok(!Object.values(e).includes(s), `${tool} got ${s}`);
      for (const n of names) assert.equal(e[n], undefined, `${tool} got ${n}`);
      assert.ok(e.PATH, `${tool} has a PATH`);
      if (tool === "zstd") assert.ok(!Object.keys(e).some((k) => k.startsWith("PG")), "zstd gets no PG* at all");
    }
  }
  // The connection reaches pg_dump and the restoring pg_restore through PG*, the profile's password (not the operator's).
  // (The others are `pg_dump --version` from tool discovery, which gets no connection at all.)
  const dumps = (await envsOf("pg_dump")).filter((e) => e.PGDATABASE);
  assert.deepEqual(
    dumps.map((e) => [e.PGPASSWORD === DB_PASSWORD, e.PGHOST]),
    [[true, "127.0.0.1"]],
  );
  const restores = (await envsOf("pg_restore")).filter((e) => e.PGDATABASE);
  assert.deepEqual(
    restores.map((e) => e.PGPASSWORD === DB_PASSWORD),
    [true, true],
  );
});
