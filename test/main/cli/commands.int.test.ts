// The CLI as a user meets it: the package bin, profile management, key generation, progress on a terminal.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { getKeychainSecret } from "../../../src/main/secrets/keychain.ts";
import { identityToRecipient } from "../../../src/main/crypto/age-keys.ts";
import { startLifeboatEnv, type LifeboatEnv } from "../../harness/lifeboat-env.ts";
import { runCli } from "../../harness/cli.ts";

const run = promisify(execFile);

async function journalText(dir: string): Promise<string> {
  const files = (await readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith(".jsonl"));
  assert.ok(files.length > 0, "the journal has segment files");
  return (await Promise.all(files.map((f) => readFile(join(dir, f), "utf8")))).join("\n");
}
let env: LifeboatEnv | undefined;
let skip: string | undefined;

before(async () => {
  const e = await startLifeboatEnv({ scale: 1 });
  if ("skip" in e) skip = e.skip;
  else env = e;
});
after(async () => env?.stop());

describe("the lifeboat command", () => {
  test("the package bin runs from the checkout (what npx lifeboat runs)", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8"));
    const { stdout } = await run(process.execPath, [pkg.bin.lifeboat, "--version"]);
    assert.equal(stdout.trim(), pkg.version);
    const help = await run(process.execPath, [pkg.bin.lifeboat, "--help"]);
    for (const cmd of ["profile", "secret", "keys", "backup", "backups", "verify", "restore"])
      assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`));
  });

  test("an unknown command is a usage error with exit 2", async () => {
    const r = await runCli(["frobnicate", "--json"]);
    assert.equal(r.code, 2);
    assert.equal(r.json!.error!.code, "USAGE");
  });

  test("profile add/list/show/test with references only", async (t) => {
    if (skip) return t.skip(skip);
    const config = join(env!.dir, "fresh-config.json");
    const p = env!.profile as any;
    const add = await runCli(
      [
        "--config",
        config,
        "profile",
        "add",
        "ward",
        "--host",
        "127.0.0.1",
        "--port",
        String(p.database.port),
        "--database",
        "clinic",
        "--user",
        p.database.user,
        "--password-ref",
        "keychain:test-pg-password",
        "--sslmode",
        "disable",
        "--s3-bucket",
        p.storage.bucket,
        "--s3-endpoint",
        p.storage.endpoint,
        "--s3-path-style",
        "--s3-access-key-ref",
        "env:TEST_S3_KEY",
        "--s3-secret-key-ref",
        "env:TEST_S3_SECRET",
        "--recipient",
        env!.recipient,
        "--identity-ref",
        "keychain:test-age-identity",
        "--json",
      ],
      { env: env!.env },
    );
    assert.equal(add.code, 0, add.stdout + add.stderr);
    const list = await runCli(["--config", config, "profile", "list", "--json"], { env: env!.env });
    assert.deepEqual(
      list.json!.value.map((x: any) => x.name),
      ["ward"],
    );
    const show = await runCli(["--config", config, "profile", "show", "ward"], { env: env!.env });
    assert.match(show.stdout, /keychain:test-pg-password/);
    const test = await runCli(["--config", config, "profile", "test", "ward", "--json"], { env: env!.env });
    assert.equal(test.code, 0, test.stdout);
    assert.ok(
      // s3rver has no versioning or Object Lock: those two are warnings saying what to change, not failures.
      test.json!.value.checks.every((c: any) => c.ok || (c.warning && /versioning|object lock/.test(c.name))),
      JSON.stringify(test.json!.value.checks),
    );
    const missing = await runCli(["--config", config, "profile", "add", "bad", "--host", "h", "--json"], {
      env: env!.env,
    });
    assert.equal(missing.code, 2);
    assert.match(missing.json!.error!.message, /--database/);
  });

  test("keys generate stores the identity in the keychain and prints only the recipient", async (t) => {
    if (skip) return t.skip(skip);
    const r = await env!.cli(["keys", "generate", "--name", "escrow-key", "--json"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const stored = await getKeychainSecret("escrow-key");
    assert.ok(stored?.startsWith("AGE-SECRET-KEY-1"));
    assert.equal(identityToRecipient(stored!), r.json!.value.recipient);
    assert.ok(!r.stdout.includes(stored!), "the identity is never printed");
    const again = await env!.cli(["keys", "generate", "--name", "escrow-key", "--json"]);
    assert.equal(again.code, 2, "an existing identity is not overwritten by accident");
    assert.equal(await getKeychainSecret("escrow-key"), stored);
    const journal = await journalText(env!.env.LIFEBOAT_JOURNAL_DIR!);
    assert.match(journal, /"kind":"keys.generate"/);
    assert.ok(journal.includes(r.json!.value.recipient), "the journal names the public recipient");
    assert.ok(!journal.includes(stored!), "the identity never enters the journal");
  });

  test("secret set is journaled without its value", async (t) => {
    if (skip) return t.skip(skip);
    const value = "very-secret-" + Math.random().toString(36).slice(2);
    const r = await env!.cli(["secret", "set", "journaled-secret"], { stdin: value });
    assert.equal(r.code, 0, r.stderr);
    const journal = await journalText(env!.env.LIFEBOAT_JOURNAL_DIR!);
    assert.match(journal, /keychain:journaled-secret/);
    assert.ok(!journal.includes(value));
  });

  test("on a terminal, a backup shows progress: phase, bytes, tables, rate", async (t) => {
    if (skip) return t.skip(skip);
    const r = await runCli(["--config", env!.configPath, "backup"], { env: env!.env, tty: true });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /backup: dump/);
    assert.match(r.stderr, /tables \d+\/7/);
    assert.match(r.stdout, /committed/);
  });
});
