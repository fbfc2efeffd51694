import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
// @ts-expect-error plain JS module without types (bin/ runs before any TypeScript loader)
import { bundleCacheDir, ensureCliBundle, sourceFingerprint } from "../../bin/cli-loader.js";

const run = promisify(execFile);
const VERSION = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

test("the source fingerprint changes with any source file's content or time, and only then", async () => {
  const root = await mkdtemp(join(tmpdir(), "lifeboat-loader-"));
  try {
    const file = join(root, "src/main/cli/main.ts");
    await mkdir(dirname(file), { recursive: true });
    await mkdir(join(root, "src/shared"), { recursive: true });
    await writeFile(file, "export const a = 1;\n");
    await writeFile(join(root, "src/shared/x.ts"), "export const x = 1;\n");
    await writeFile(join(root, "package.json"), "{}");
    const first = sourceFingerprint(root) as string;
    assert.equal(sourceFingerprint(root), first, "stable while nothing changes");

    await writeFile(join(root, "src/shared/x.ts"), "export const x = 22;\n");
    const edited = sourceFingerprint(root) as string;
    assert.notEqual(edited, first, "an edit in src/shared changes it");

    await utimes(file, new Date(), new Date(Date.now() + 5000));
    assert.notEqual(sourceFingerprint(root), edited, "a newer mtime alone (a checkout) changes it");

    await writeFile(join(root, "src/main/new-module.ts"), "");
    assert.notEqual(sourceFingerprint(root), edited, "a new file changes it");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("the CLI runs from the cached bundle, and from the sources with LIFEBOAT_FROM_SOURCE=1, with the same answers", async () => {
  const bundle = (await ensureCliBundle()) as string;
  assert.ok(bundle.startsWith(bundleCacheDir() as string), bundle);
  assert.ok(existsSync(bundle));
  const config = join(await mkdtemp(join(tmpdir(), "lifeboat-loader-")), "config.json");
  try {
    for (const env of [{}, { LIFEBOAT_FROM_SOURCE: "1" }]) {
      const version = await run(process.execPath, ["bin/lifeboat.js", "--version"], {
        env: { ...process.env, ...env },
      });
      assert.equal(version.stdout.trim(), VERSION, JSON.stringify(env));
      // A lazily loaded command module (a split chunk in the bundle) and the config store behind it.
      const list = await run(process.execPath, ["bin/lifeboat.js", "--config", config, "profile", "list", "--json"], {
        env: { ...process.env, ...env },
      });
      assert.deepEqual(JSON.parse(list.stdout), { ok: true, value: [] }, JSON.stringify(env));
    }
  } finally {
    await rm(dirname(config), { recursive: true, force: true });
  }
});

test("a command's exit code and error survive the bundle: a usage error exits 2 with a hint, no stack", async () => {
  await ensureCliBundle();
  const r = await run(process.execPath, ["bin/lifeboat.js", "restore"]).then(
    () => assert.fail("restore without an id must fail"),
    (e: { code: number; stderr: string }) => e,
  );
  assert.equal(r.code, 2);
  assert.match(r.stderr, /id/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});
