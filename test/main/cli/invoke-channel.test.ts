// A CLI command is a transport: its --json output is the router's ApiResult, the same one the console receives for the
// same request, and its exit code comes from the error code.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { openSession } from "../../../src/main/session/open-session.ts";
import { EXIT_CODES } from "../../../src/shared/errors.ts";
import { runCli } from "../../harness/cli.ts";

let dir: string;
let env: NodeJS.ProcessEnv;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-invoke-"));
  await mkdir(join(dir, "store"));
  const profile = {
    name: "clinic",
    database: { host: "127.0.0.1", port: 5432, database: "clinic", user: "app", sslmode: "disable" },
    storage: { kind: "folder", path: join(dir, "store") },
    encryption: { recipients: [generateIdentity().recipient] },
  };
  await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
  env = { ...process.env, LIFEBOAT_CONFIG: join(dir, "config.json"), LIFEBOAT_JOURNAL_DIR: join(dir, "journal") };
});
after(async () => rm(dir, { recursive: true, force: true }));

async function consoleAnswer(channel: "backups.list", payload: unknown): Promise<unknown> {
  const s = await openSession({ face: "browser", env });
  try {
    return await s.invoke(channel, payload);
  } finally {
    await s.close();
  }
}

test("--json prints exactly the ApiResult the console gets for the same request", async () => {
  const cli = await runCli(["backups", "--json"], { env });
  assert.equal(cli.code, 0, cli.stdout + cli.stderr);
  assert.deepEqual(cli.json, await consoleAnswer("backups.list", {}));
  assert.equal(cli.json!.value.profile, "clinic", "without -p, the only profile");
});

test("a failed call prints the router's error and exits with its code", async () => {
  const cli = await runCli(["backups", "-p", "nope", "--json"], { env });
  assert.equal(cli.code, EXIT_CODES.CONFIG);
  assert.equal(cli.json!.error!.code, "PROFILE_NOT_FOUND");
  assert.deepEqual(cli.json, await consoleAnswer("backups.list", { profile: "nope" }));
  const human = await runCli(["backups", "-p", "nope"], { env });
  assert.equal(human.code, EXIT_CODES.CONFIG);
  assert.match(human.stderr, /^error: There is no profile named "nope"/);
  assert.match(human.stderr, /what to do: /);
  assert.equal(human.stdout, "");
});

test("a request the contract refuses is a usage error, before anything runs", async () => {
  const cli = await runCli(["restore", "latest", "--target-db", "x".repeat(64), "--json"], { env });
  assert.equal(cli.code, EXIT_CODES.USAGE);
  assert.match(cli.json!.error!.message, /^Invalid request for restore\.run: database/);
});

test("the human rendering of an answer", async () => {
  const cli = await runCli(["backups"], { env });
  assert.equal(cli.code, 0);
  assert.equal(cli.stdout, `no committed backups for "clinic" in folder:${join(dir, "store")}\n`);
});
