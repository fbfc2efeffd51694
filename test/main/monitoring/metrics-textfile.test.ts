import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeTextfile } from "../../../src/main/monitoring/metrics.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";

test("the textfile goes into node_exporter's existing folder, readable by another user (0644)", async () => {
  const root = await mkdtemp(join(tmpdir(), "lifeboat-textfile-"));
  try {
    const dir = join(root, "node-exporter");
    mkdirSync(dir, { mode: 0o755 });
    await writeTextfile(join(dir, "lifeboat.prom"), "lifeboat_up 1\n");
    assert.equal(await readFile(join(dir, "lifeboat.prom"), "utf8"), "lifeboat_up 1\n");
    assert.equal(statSync(join(dir, "lifeboat.prom")).mode & 0o777, 0o644);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("a missing folder is an error that says what to do, and no private folder is made in its place", async () => {
  const root = await mkdtemp(join(tmpdir(), "lifeboat-textfile-"));
  try {
    const dir = join(root, "node-exporter");
    await assert.rejects(writeTextfile(join(dir, "lifeboat.prom"), "lifeboat_up 1\n"), (e: unknown) => {
      assert.ok(isLifeboatError(e) && e.code === "LOCAL_DISK", String(e));
      assert.match(e.message, /metrics were not written: the folder .*node-exporter does not exist/);
      assert.match(e.hint ?? "", /collector\.textfile\.directory/);
      return true;
    });
    assert.equal(existsSync(dir), false);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
