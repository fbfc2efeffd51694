// The `lifeboat neon` commands through the real CLI entry, against a stub Neon API: what is printed, what is refused,
// which exit code, and that the connection URI appears only when asked for, and never in the journal.
import { after, before, beforeEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { runCli } from "../../harness/cli.ts";
import { API_KEY } from "../neon/neon-test-profile.ts";
import { branch, miniProject, project, startStubNeon, type MiniState, type StubNeon } from "../neon/stub-neon.ts";

const PASSWORD = "npg_Cli7Secret42";
let stub: StubNeon;
let dir: string;
let state: MiniState;
let env: NodeJS.ProcessEnv;

before(async () => {
  stub = await startStubNeon(() => ({ status: 500 }));
  dir = await mkdtemp(join(tmpdir(), "lifeboat-neon-cli-"));
  const profile = {
    name: "clinic",
    database: { host: "127.0.0.1", database: "neondb", user: "neondb_owner" },
    storage: { kind: "folder", path: join(dir, "store") },
    encryption: { recipients: [generateIdentity().recipient] },
    neon: {
      projectId: "quiet-lake-123456",
      apiKey: "env:TEST_NEON_KEY",
      apiHost: stub.url,
      requiredRecoveryWindowHours: 720,
    },
  };
  await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
  env = { ...process.env, TEST_NEON_KEY: API_KEY, LIFEBOAT_JOURNAL_DIR: join(dir, "journal") };
});
after(async () => {
  await stub.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  state = {
    project: project({ history_retention_seconds: 7 * 86_400 }),
    branches: [branch("main", { default: true }), branch("dev-alice")],
    uri: `postgresql://neondb_owner:${PASSWORD}@ep-x-1.example.invalid/neondb?sslmode=require`,
  };
  stub.requests.length = 0;
  stub.handle = miniProject(state);
});

const cli = (...args: string[]) => runCli(["--config", join(dir, "config.json"), ...args], { env });

async function journalText(): Promise<string> {
  const files = (await readdir(join(dir, "journal"))).filter((f) => f.endsWith(".jsonl"));
  return (await Promise.all(files.map((f) => readFile(join(dir, "journal", f), "utf8")))).join("");
}

describe("lifeboat neon", () => {
  test("status warns when the window is shorter than the profile requires", async () => {
    const r = await cli("neon", "status");
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /history window 7 d: can restore to any moment from \S+ to now {2}⚠ SHORTER than the 30 d required/,
    );
    assert.match(r.stdout, /warning: Neon keeps 7 d of history, less than the 30 d/);
    const j = await cli("--json", "neon", "status");
    assert.equal(j.json?.value.windowShort, true);
    assert.equal(j.json?.value.historyRetentionSeconds, 604_800);
  });

  test("recover-to takes an unquoted relative time and does not print the URI", async () => {
    const r = await cli("neon", "recover-to", "90", "minutes", "ago");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /recovery branch recovery-\d{8}-\d{6} \(br-recovery-\d{8}-\d{6}-1\) is ready/);
    assert.match(r.stdout, /\(90 minutes ago\)/);
    assert.match(r.stdout, /not shown: it holds a password/);
    assert.ok(!r.stdout.includes(PASSWORD) && !r.stderr.includes(PASSWORD));
    const body = stub.requests.find((x) => x.method === "POST")!.body as { branch: { parent_timestamp: string } };
    assert.ok(Math.abs(Date.now() - 90 * 60_000 - Date.parse(body.branch.parent_timestamp)) < 10_000);
  });

  test("--show-uri prints it on stdout (human and --json), and the journal never holds it", async () => {
    const r = await cli("neon", "recover-to", "10 minutes ago", "--name", "recovery-shown", "--show-uri");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split("\n").at(-1), state.uri);
    const j = await cli("--json", "neon", "recover-to", "5 minutes ago", "--name", "recovery-shown-json", "--show-uri");
    assert.equal(j.json?.value.connectionUri, state.uri);
    assert.equal(j.json?.value.branch.name, "recovery-shown-json");
    const journal = await journalText();
    assert.match(journal, /recovery-shown-json/);
    assert.ok(!journal.includes(PASSWORD), "the journal holds the password");
    assert.ok(!journal.includes("postgresql://"), "the journal holds a URI");
  });

  test("--json without --show-uri hides the URI", async () => {
    const j = await cli("--json", "neon", "recover-to", "5 minutes ago", "--name", "recovery-hidden");
    assert.equal(j.code, 0);
    assert.equal(j.json?.value.connection, "[connection URI hidden]");
    assert.ok(!JSON.stringify(j.json).includes(PASSWORD));
  });

  test("bad times: unparsable is a usage error (2), outside the window is refused (8)", async () => {
    const u = await cli("--json", "neon", "recover-to", "last", "tuesday");
    assert.equal(u.code, 2);
    assert.equal(u.json?.error?.code, "USAGE");
    const w = await cli("neon", "recover-to", "30 days ago");
    assert.equal(w.code, 8);
    assert.match(w.stderr, /before the earliest point Neon can restore to/);
    const f = await cli("neon", "recover-to", "2099-01-01T00:00:00Z");
    assert.equal(f.code, 8);
    assert.match(f.stderr, /in the future/);
    assert.ok(!stub.requests.some((x) => x.method === "POST"));
  });

  test("restore without --confirm is refused (8) with no API call", async () => {
    const r = await cli("--json", "neon", "restore", "--to", "1 hour ago");
    assert.equal(r.code, 8);
    assert.equal(r.json?.error?.code, "CONFIRMATION_REQUIRED");
    assert.deepEqual(stub.requests, []);
  });

  test("restore with --confirm keeps the old state under a backup branch", async () => {
    const r = await cli("neon", "restore", "--to", "1 hour ago", "--confirm", "main");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /branch main \(br-main-1\) restored in place/);
    assert.match(r.stdout, /kept as branch backup-before-restore-\d{8}-\d{6}/);
  });

  test("snapshot, branches and delete", async () => {
    const s = await cli("neon", "snapshot");
    assert.equal(s.code, 0, s.stderr);
    const name = /emergency branch (emergency-\d{8}-\d{6})/.exec(s.stdout)?.[1];
    assert.ok(name, s.stdout);
    const b = await cli("neon", "branches");
    assert.match(b.stdout, /^NAME +ID +PARENT +CREATED +COMPUTE +FLAGS/);
    assert.match(b.stdout, new RegExp(`${name} .* main .*lifeboat`));
    assert.match(b.stdout, /main +br-main-1 .*default/);
    const d = await cli("neon", "delete", name!);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stdout, new RegExp(`deleted branch ${name}`));
    const refused = await cli("--json", "neon", "delete", "main");
    assert.equal(refused.code, 8);
    assert.equal(refused.json?.error?.code, "NEON_REFUSED");
  });

  test("a bad API key: exit 4 with the key's reference in the hint", async () => {
    stub.handle = () => ({
      status: 401,
      body: { code: "", message: "authentication required", request_id: "req-xyz" },
    });
    const r = await cli("neon", "status");
    assert.equal(r.code, 4);
    assert.match(r.stderr, /the Neon API key was rejected: authentication required \(HTTP 401, request_id req-xyz\)/);
    assert.match(r.stderr, /env:TEST_NEON_KEY/);
    assert.ok(!r.stderr.includes(API_KEY));
  });

  test("--max-wait bounds the wait on a 423 that never clears", async () => {
    stub.handle = () => ({
      status: 423,
      body: { code: "", message: "project already has running operations", request_id: "req-423" },
    });
    const t0 = Date.now();
    const r = await cli("neon", "snapshot", "--max-wait", "1");
    assert.equal(r.code, 4);
    assert.match(r.stderr, /a conflicting operation is still running after 1\.\d s/);
    assert.match(r.stderr, /retrying in/);
    assert.ok(Date.now() - t0 < 5000);
  });
});
