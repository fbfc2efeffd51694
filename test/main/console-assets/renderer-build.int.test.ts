import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MODULE = new URL("../../../src/main/console-assets/renderer-build.ts", import.meta.url).href;

/** ensureRendererBuild(dir) in a process of its own, as two consoles started at once on a fresh clone would run it. */
async function buildInChild(dir: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import(${JSON.stringify(MODULE)}).then((m) => m.ensureRendererBuild(process.argv[1]))`,
      dir,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, out };
}

test("two processes building the screens at once both get a whole build, and no scratch folder is left", async () => {
  const parent = await mkdtemp(join(tmpdir(), "lifeboat-renderer-race-"));
  try {
    const dir = join(parent, "renderer");
    // A folder half-written by an older version is in the way: no index.html, a stray file.
    mkdirSync(dir);
    writeFileSync(join(dir, "stale.js"), "half");
    const results = await Promise.all([buildInChild(dir), buildInChild(dir)]);
    for (const r of results) assert.equal(r.code, 0, r.out);
    assert.ok(existsSync(join(dir, "index.html")), "the build is in place");
    assert.ok(!existsSync(join(dir, "stale.js")), "the half-written folder was replaced, not mixed into");
    assert.deepEqual(readdirSync(parent), ["renderer"], "no .building- folder is left beside it");
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
