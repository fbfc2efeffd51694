// The README's practice commands, run as written (in a sandbox folder of the test's own, through
// LIFEBOAT_SANDBOX_DIR): `lifeboat sandbox --incident <kind> --no-serve` stages the incident and stops, and the
// sandbox it leaves is one the console's practice world can open (a lost compute still has its connection, which then
// fails as Neon's does).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, describe, test } from "node:test";
import { startSandbox } from "../../../../src/main/sandbox/index.ts";

const run = promisify(execFile);

describe("practising a runbook: the README's sandbox commands", { timeout: 300_000 }, () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  async function lifeboat(command: string, dir: string): Promise<string> {
    const args = command.split(" ").slice(1);
    const r = await run(process.execPath, [join(process.cwd(), "bin/lifeboat.js"), ...args], {
      env: { ...process.env, LIFEBOAT_SANDBOX_DIR: dir, LIFEBOAT_SANDBOX_API_KEY: "practice-key-0123456789" },
      timeout: 240_000,
    });
    return r.stdout;
  }

  test("lifeboat sandbox --incident app-error --no-serve, then ransomware, then server-failure", async () => {
    const home = await mkdtemp(join(tmpdir(), "lifeboat-practice-"));
    dirs.push(home);
    await chmod(home, 0o755);
    const dir = join(home, "sandbox");
    const bad = await lifeboat("lifeboat sandbox --incident app-error --no-serve", dir);
    assert.match(bad, /Incident staged: app-error on the default branch/);
    assert.match(
      bad,
      /release 4\.3\.0 wrote wrong values into 12 "Patient"\."phone", 9 "Prescription"\."dosage", 10 "LabResult"\."unit" in 3 transactions/,
    );
    const attack = await lifeboat("lifeboat sandbox --incident ransomware --no-serve", dir);
    assert.match(
      attack,
      /encrypted all \d+ "ClinicalNote" rows in place and left the table "README_TO_RESTORE_YOUR_DATA"/,
    );
    const out = await lifeboat("lifeboat sandbox --incident server-failure --no-serve", dir);
    assert.match(out, /Incident staged: server-failure on the default branch/);
    assert.match(out, /note \d+ was committed before, the note "Being saved when the server failed" was in flight/);
    assert.match(out, /Stopped \(--no-serve\)/);

    const s = await startSandbox({ dir, apiKey: "practice-key-0123456789", say: () => undefined });
    try {
      assert.deepEqual(
        s.incidents().map((i) => i.kind),
        ["app-error", "ransomware", "server-failure"],
      );
      assert.equal(s.connInfo(), null, "the failed compute stays down when the sandbox is resumed");
      assert.ok(s.proxyConnInfo(), "the practice world still gets production's connection (which fails, as on Neon)");
    } finally {
      await s.stop();
    }
  });

  test("lifeboat sandbox --incident region-outage --no-serve: the compute and Neon's API stay down when resumed", async () => {
    const home = await mkdtemp(join(tmpdir(), "lifeboat-practice-"));
    dirs.push(home);
    await chmod(home, 0o755);
    const dir = join(home, "sandbox");
    // Exactly as the README's Practising the runbooks section writes it.
    const readme = await readFile(join(process.cwd(), "README.md"), "utf8");
    const command = /^(lifeboat sandbox --incident region-outage --no-serve)\s+#/m.exec(readme)?.[1];
    assert.ok(command, "the README shows the command");
    const out = await lifeboat(command, dir);
    assert.match(out, /Incident staged: region-outage on the default branch/);
    assert.match(out, /the project's region is out: the default branch's compute \(ep-[a-z0-9-]+\) is unreachable/);
    assert.match(out, /Neon's API answers 503 for the project until --reset/);
    const s = await startSandbox({ dir, apiKey: "practice-key-0123456789", say: () => undefined });
    try {
      assert.equal(s.connInfo(), null, "the compute stays down when the sandbox is resumed");
      const r = await fetch(`${s.apiUrl}/projects/${s.projectId}/branches`, {
        headers: { authorization: "Bearer practice-key-0123456789" },
      });
      assert.equal(r.status, 503);
      assert.match(JSON.stringify(await r.json()), /region-outage incident/);
    } finally {
      await s.stop();
    }
  });
});
