// `lifeboat neon` and `lifeboat drill neon` through the real CLI, against the local sandbox (real point-in-time
// recovery): the weekly backup test passes on the sample, then fails after a staged bulk delete, naming the table.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { generateIdentity } from "../../../src/main/crypto/age-keys.ts";
import { openJournalReader } from "../../../src/main/journal/journal.ts";
import { runCli } from "../../harness/cli.ts";
import { queryUri, useSandbox } from "../../harness/neon-sandbox.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("lifeboat neon / drill neon on the sandbox", () => {
  const sandbox = useSandbox();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(["--config", join(dir, "config.json"), ...args], { env });

  before(async () => {
    const s = sandbox();
    dir = await mkdtemp(join(tmpdir(), "lifeboat-neon-cli-sandbox-"));
    const profile = {
      name: "clinic",
      database: { host: "127.0.0.1", database: "neondb", user: "neondb_owner" },
      storage: { kind: "folder", path: join(dir, "store") },
      encryption: { recipients: [generateIdentity().recipient] },
      neon: { projectId: s.projectId, apiKey: "env:SANDBOX_KEY", apiHost: s.apiUrl, drill: { offsetHours: 2 / 3600 } },
    };
    await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
    env = { ...process.env, SANDBOX_KEY: s.apiKey, LIFEBOAT_JOURNAL_DIR: join(dir, "journal") };
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("recover-to --show-uri prints a working unpooled URI, which the journal never holds", async () => {
    await sleep(1500);
    const r = await cli("--json", "neon", "recover-to", "1 second ago", "--name", "recovery-cli", "--show-uri");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const uri = r.json?.value.connectionUri as string;
    assert.match(uri, /^postgres(ql)?:\/\//);
    assert.ok(!new URL(uri).hostname.includes("-pooler"));
    assert.deepEqual(await queryUri(uri, `SELECT count(*)::int AS n FROM "Patient"`), [{ n: 150 }]);
    const del = await cli("neon", "delete", "recovery-cli");
    assert.equal(del.code, 0, del.stderr);
    const files = (await readdir(join(dir, "journal"))).filter((f) => f.endsWith(".jsonl"));
    const journal = (await Promise.all(files.map((f) => readFile(join(dir, "journal", f), "utf8")))).join("");
    assert.ok(!journal.includes(decodeURIComponent(new URL(uri).password)) && !journal.includes("postgresql://"));
  });

  test("the weekly backup test passes on the sample, then fails after a bulk delete, naming the table", async () => {
    // The drill branches 2 s back: the sandbox's history must be older than that with a margin, or the point falls
    // milliseconds before the window (seen on a loaded CI machine).
    await sleep(3000);
    const pass = await cli("drill", "neon");
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /^✅ Backup test passed\n {3}- Patients: 150\n {3}- Clinical Notes: 423\n/);
    assert.match(pass.stdout, /branch deleted/);

    const incident = await sandbox().stageIncident("bulk-delete", undefined, { rows: 100 });
    assert.match(incident.summary, /deleted 100 of 423 "ClinicalNote" rows/);
    await sleep(3000);
    const fail = await cli("drill", "neon");
    assert.equal(fail.code, 6, fail.stdout + fail.stderr);
    assert.match(fail.stdout, /❌ BACKUP TEST FAILED/);
    assert.match(fail.stdout, /Clinical Notes: 323 \(last passing run: 423\)/);
    assert.match(fail.stdout, /"ClinicalNote" fell from 423 to 323 rows \(-23\.6%, more than the 10% allowed\)/);

    const branches = await cli("--json", "neon", "branches");
    assert.deepEqual(
      (branches.json?.value.branches as Array<{ name: string }>).filter((b) => b.name.startsWith("backup-test-")),
      [],
      "both test branches were deleted",
    );
    const { records } = await openJournalReader(join(dir, "journal")).query({
      kind: "drill.neon",
      newest: true,
      limit: 10,
    });
    const outcomes = records.filter((x) => x.outcome !== "started").map((x) => [x.outcome, x.details.pass]);
    assert.deepEqual(outcomes, [
      ["ok", true],
      ["failed", false],
    ]);
    const phases = (records.at(-1)!.details.phases as Array<{ name: string; durationMs: number }>).map((p) => p.name);
    assert.deepEqual(phases, ["create", "connect", "count", "compare", "delete"]);
  });
});
