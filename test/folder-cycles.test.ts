// No two folders of src depend on each other (.dependency-cruiser.cjs, rule no-folder-cycles): checked on the tree
// itself, and proven to catch a cycle on a planted one, so a broken rule cannot pass quietly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      DEPCRUISE,
      ["src", "--config", CONFIG, "--output-type", "err"],
      { cwd, maxBuffer: 16 << 20 },
    );
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

test("a cycle between two folders is reported, naming both", async () => {
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-cycles-"));
  try {
    await mkdir(join(dir, "src", "restore"), { recursive: true });
    await mkdir(join(dir, "src", "verify"), { recursive: true });
    await writeFile(join(dir, "tsconfig.json"), "{}\n");
    await writeFile(
      join(dir, "src", "restore", "run.ts"),
      'import { count } from "../verify/count.ts";\nexport const run = count;\n',
    );
    await writeFile(
      join(dir, "src", "verify", "count.ts"),
      'import type { run } from "../restore/run.ts";\nexport const count = (r?: typeof run) => r;\n',
    );
    const { code, out } = await cruise(dir);
    assert.notEqual(code, 0, out);
    assert.match(out, /no-folder-cycles: src\/restore/);
    assert.match(out, /src\/verify/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("no two folders of src depend on each other", { timeout: 300_000 }, async () => {
  const { code, out } = await cruise(ROOT);
  assert.equal(code, 0, `folder cycles in src:\n${out}`);
});
