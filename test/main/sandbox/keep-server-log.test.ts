import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keepServerLog } from "../../../src/main/sandbox/point-in-time-recovery.ts";
import { layoutFor } from "../../../src/main/sandbox/sandbox-layout.ts";

test("a failed recovery's server log outlives its removed data directory, where the hint points", async () => {
  const root = await mkdtemp(join(tmpdir(), "lifeboat-keep-log-"));
  try {
    const layout = layoutFor(root);
    const dataDir = join(layout.pgdata, "tl3-abc-123456");
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, "lifeboat-server.log"),
      "FATAL:  requested timeline 3 is not a child of this server's history\n",
    );
    const kept = await keepServerLog(layout, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(kept, join(root, "logs", "recovery-tl3-abc-123456.log"));
    assert.match(readFileSync(kept, "utf8"), /requested timeline 3 is not a child/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("with no server log, the kept file says so rather than pointing nowhere", async () => {
  const root = await mkdtemp(join(tmpdir(), "lifeboat-keep-log-"));
  try {
    const layout = layoutFor(root);
    const kept = await keepServerLog(layout, join(layout.pgdata, "tl2-gone"));
    assert.match(readFileSync(kept, "utf8"), /the server wrote no log in .*tl2-gone: ENOENT/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
