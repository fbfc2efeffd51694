// `lifeboat sandbox`: set up with an incident and stop (--no-serve), then resume as a real process, serve, use the
// kept history over the API, and stop on SIGINT. Also the refusals that start nothing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runCli } from "../../../harness/cli.ts";
import { createBranch, neonApi, queryUri } from "../../../harness/neon-sandbox.ts";
import type { Sandbox } from "../../../../src/main/sandbox/index.ts";

describe("lifeboat sandbox", () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await mkdtemp(join(tmpdir(), "lifeboat-sandbox-cli-"));
    dirs.push(d);
    return d;
  };

  test("an unknown incident and a --reset of a folder that is not a sandbox are refused before anything starts", async () => {
    const bad = await runCli(["sandbox", "--incident", "meteor", "--json"]);
    assert.equal(bad.code, 2);
    assert.match(bad.json?.error?.message ?? "", /unknown incident "meteor"/);

    const dir = await tempDir();
    await writeFile(join(dir, "thesis.tex"), "precious");
    const r = await runCli(["sandbox", "--dir", dir, "--reset", "--json"]);
    assert.equal(r.code, 8, r.stdout);
    assert.match(
      r.json?.error?.message ?? "",
      /holds files that are not the sandbox's \(thesis\.tex\); not deleting it/,
    );
    assert.equal(await readFile(join(dir, "thesis.tex"), "utf8"), "precious");
  });

  test("--no-serve sets up and stages the incident; the next start resumes it, serves the API and stops on SIGINT", async () => {
    const dir = await tempDir();
    const setup = await runCli(["sandbox", "--dir", dir, "--incident", "bulk-delete", "--no-serve", "--json"], {
      env: { ...process.env, LIFEBOAT_SANDBOX_API_KEY: "" },
    });
    assert.equal(setup.code, 0, setup.stdout + setup.stderr);
    const v = setup.json?.value;
    assert.equal(v.resumed, false);
    assert.equal(v.serving, false);
    assert.match(v.apiUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
    assert.match(v.apiKey, /^lbsb_/, "a key made here is shown once, to be exported");
    assert.deepEqual(v.profileNeon, {
      projectId: v.projectId,
      apiKey: "env:LIFEBOAT_SANDBOX_API_KEY",
      apiHost: v.apiUrl,
      database: "neondb",
      role: "neondb_owner",
    });
    assert.equal(v.incident.kind, "bulk-delete");
    const deleted = v.incident.details.deletedIds.length as number;

    // A real process, with the key chosen through the environment as a user would export it.
    const key = "practice-key-0123456789";
    const child = spawn(process.execPath, [join(process.cwd(), "bin/lifeboat.js"), "sandbox", "--dir", dir, "--json"], {
      env: { ...process.env, LIFEBOAT_SANDBOX_API_KEY: key },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    try {
      const started = await new Promise<{ value: Record<string, unknown> & { apiUrl: string; projectId: string } }>(
        (resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no start report in 120 s; stderr: ${stderr}`)), 120_000);
          child.stdout.on("data", (d) => {
            stdout += d;
            try {
              const parsed = JSON.parse(stdout);
              clearTimeout(timer);
              resolve(parsed);
            } catch {
              // Not complete yet.
            }
          });
          child.on("close", () => reject(new Error(`exited early: ${stderr}`)));
        },
      );
      const r = started.value;
      assert.equal(r.resumed, true);
      assert.equal(r.projectId, v.projectId);
      assert.equal(r.apiKey, undefined, "a key from the environment is not printed");
      assert.equal((r.incidents as { kind: string }[])[0]?.kind, "bulk-delete");

      const s = { apiUrl: r.apiUrl, apiKey: key, projectId: r.projectId } as Sandbox;
      assert.equal((await neonApi(s, "GET", ":project", undefined, { apiKey: "lbsb_old" })).status, 401);
      // The history survived the restart: a branch at the last good second still holds the deleted notes.
      const branch = await createBranch(s, {
        name: "recovery-after-restart",
        parent_timestamp: v.incident.lastGoodSecond,
      });
      assert.deepEqual(await queryUri(branch.uri, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [
        { n: v.incident.details.rowsBefore },
      ]);
      const mainUri = (await neonApi(s, "GET", ":project/connection_uri?database_name=neondb&role_name=neondb_owner"))
        .body.uri as string;
      assert.deepEqual(await queryUri(mainUri, `SELECT count(*)::int AS n FROM "ClinicalNote"`), [
        { n: v.incident.details.rowsBefore - deleted },
      ]);

      // While it serves, a second start or a --reset of the same folder is refused, and the first keeps working.
      const clash = await runCli(["sandbox", "--dir", dir, "--reset", "--json"]);
      assert.equal(clash.code, 2, clash.stdout);
      assert.match(clash.json?.error?.message ?? "", /is in use by another Lifeboat process/);
      assert.deepEqual(await queryUri(mainUri, "SELECT 1 AS one"), [{ one: 1 }]);
    } finally {
      child.kill("SIGINT");
    }
    assert.equal(await exited, 0, stderr);
  });
});
