import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../../harness/cli.ts";

let dir: string;
let child: ChildProcess | undefined;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-console-"));
});
after(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

test(
  "`lifeboat console --no-open` prints a one-time session link, serves the renderer and the API, and stops on SIGTERM",
  // On a fresh clone the console builds its screens first (other test files may be building them at the same time:
  // each build is renamed into place whole), so the link can take a while under a loaded test run.
  { timeout: 240_000 },
  async () => {
    child = spawn(process.execPath, ["bin/lifeboat.js", "--config", join(dir, "config.json"), "console", "--no-open"], {
      env: { ...process.env, LIFEBOAT_JOURNAL_DIR: join(dir, "journal") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no link within 200 s: ${err}`)), 200_000);
      child!.stderr!.on("data", (d: Buffer) => {
        err += d.toString();
        const m = /Lifeboat console: (http:\/\/127\.0\.0\.1:\d+\/#link=([A-Za-z0-9_-]+))/.exec(err);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.on("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    const { origin, hash } = new URL(url);
    const link = hash.slice("#link=".length);
    const session = await fetch(`${origin}/api/session`, { method: "POST", headers: { "x-lifeboat-link": link } });
    const token = ((await session.json()) as { value: { token: string } }).value.token;
    assert.equal(Buffer.from(token, "base64url").length, 32);
    assert.equal(
      (await fetch(`${origin}/api/session`, { method: "POST", headers: { "x-lifeboat-link": link } })).status,
      401,
      "the link works once",
    );
    const page = await fetch(origin);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    const info = await fetch(`${origin}/api/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-lifeboat-token": token },
      body: JSON.stringify({ channel: "profiles.list", payload: {} }),
    });
    assert.deepEqual(await info.json(), { ok: true, value: { configPath: join(dir, "config.json"), profiles: [] } });
    assert.equal(
      (
        await fetch(`${origin}/api/invoke`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{}",
        })
      ).status,
      401,
    );
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0, err);
    await assert.rejects(fetch(origin), "the port is closed after stopping");
  },
);

test("`lifeboat console --dir` without --sandbox is a usage error that says how to ask for it", async () => {
  const r = await runCli(["--config", join(dir, "none.json"), "console", "--no-open", "--dir", join(dir, "world")], {
    env: { ...process.env, LIFEBOAT_SANDBOX_DIR: join(dir, "unused") },
  });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--dir is the practice world's folder: it goes with --sandbox/);
  assert.match(r.stderr, /lifeboat console --sandbox --dir <folder>/);
  assert.equal(existsSync(join(dir, "world")), false, "nothing was created");
});
