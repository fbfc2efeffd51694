// No two folders of src depend on each other (.dependency-cruiser.cjs, rule no-folder-cycles): checked on the tree
// itself, and proven to catch a cycle on a planted one, so a broken rule cannot pass quietly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");
const CONFIG = join(ROOT, ".dependency-cruiser.cjs");

async function cruise(cwd: string, ...extra: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      DEPCRUISE,
      ["src", "--config", CONFIG, "--output-type", "err", ...extra],
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

type Cruise = { modules: { source: string; dependencies: { resolved: string }[] }[] };

/** src/main/<capability>, or src/<part> elsewhere: the folders whose cycles count. */
function folderOf(path: string): string {
  const parts = path.split("/");
  return parts.slice(0, parts[1] === "main" ? 3 : 2).join("/");
}

/** Every folder-to-folder edge that closes a cycle (its target reaches back to its source), as "a -> b". */
function cycleEdges(c: Cruise): string[] {
  const next = new Map<string, Set<string>>();
  for (const m of c.modules)
    for (const d of m.dependencies) {
      const [a, b] = [folderOf(m.source), folderOf(d.resolved)];
      if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
    }
  const reaches = (from: string, to: string): boolean => {
    const seen = new Set([from]);
    const stack = [from];
    while (stack.length) {
      const x = stack.pop()!;
      if (x === to) return true;
      for (const y of next.get(x) ?? []) {
        if (seen.has(y)) continue;
        seen.add(y);
        stack.push(y);
      }
    }
    return false;
  };
  return [...next].flatMap(([a, bs]) => [...bs].filter((b) => reaches(b, a)).map((b) => `${a} -> ${b}`)).sort();
}

// The cycles that came in with work landed in parallel (issues 12, 15, 16) are listed, edge by edge, in
// test/known-folder-cycles.json, to be broken: a new cycle fails here, and so does a listed edge that is gone (take it
// off the list, so the list only shrinks). The rule itself (npm run lint:cycles) reports every cycle.
test(
  "no two folders of src depend on each other, beyond the known cycles listed to be broken",
  { timeout: 300_000 },
  async () => {
    const { stdout } = await promisify(execFile)(DEPCRUISE, ["src", "--config", CONFIG, "--output-type", "json"], {
      cwd: ROOT,
      maxBuffer: 64 << 20,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
    const edges = cycleEdges(JSON.parse(stdout) as Cruise);
    const known = JSON.parse(await readFile(join(ROOT, "test", "known-folder-cycles.json"), "utf8")) as string[];
    assert.deepEqual(
      edges.filter((e) => !known.includes(e)),
      [],
      "new folder cycles: break them",
    );
    assert.deepEqual(
      known.filter((e) => !edges.includes(e)),
      [],
      "broken cycles still listed: take them off the list",
    );
  },
);
