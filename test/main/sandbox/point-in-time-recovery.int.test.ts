// A recovery of a stopped branch replays WAL from the archive. When the segment holding the branch's last commits is
// not there yet (a slow archiver on a busy machine; forced here by hiding it), the recovery must wait for it or fail:
// never promote a branch that silently lacks commits made before the requested point.
import assert from "node:assert/strict";
import { readdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { Sandbox } from "../../../src/main/sandbox/index.ts";
import { createBranch, neonApi, queryUri, useSandbox, waitForOperations } from "../../harness/neon-sandbox.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function probe(uri: string, tag: string, n: number): Promise<void> {
  await queryUri(uri, `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', $1, $2)`, [
    tag,
    String(n),
  ]);
}

async function probes(uri: string, tag: string): Promise<number[]> {
  return (await queryUri(uri, `SELECT "recordId" FROM "AuditLog" WHERE "tableName" = $1 ORDER BY "id"`, [tag])).map(
    (r) => Number(r.recordId),
  );
}

/** Two commits with a point between them, then main's compute suspended (its WAL archived to its end). */
async function commitsThenSuspend(s: Sandbox, tag: string): Promise<{ point: string; since: number }> {
  const main = s.connectionUri() as string;
  const since = Date.now();
  await probe(main, tag, 1);
  // After the first commit: +1 ms, because a commit has microseconds and the clock here only milliseconds.
  const point = new Date(Date.now() + 1).toISOString();
  await sleep(50);
  await probe(main, tag, 2);
  const ep = (await neonApi(s, "GET", `:project/branches/${s.defaultBranchId}/endpoints`)).body.endpoints[0];
  const r = await neonApi(s, "POST", `:project/endpoints/${ep.id}/suspend`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await waitForOperations(s, r.body.operations);
  return { point, since };
}

/** Hides every WAL segment archived since `since` (the ones holding the commits above); returns a way to put them back. */
async function hideSegmentsSince(s: Sandbox, since: number): Promise<() => Promise<void>> {
  const archive = join(s.dir, "wal-archive");
  const hidden: string[] = [];
  for (const name of await readdir(archive)) {
    if (!/^[0-9A-F]{24}$/.test(name)) continue;
    if ((await stat(join(archive, name))).mtimeMs < since - 1) continue;
    await rename(join(archive, name), join(archive, `${name}.hidden`));
    hidden.push(name);
  }
  assert.ok(hidden.length > 0, "the suspend archived at least one segment");
  return async () => {
    for (const name of hidden) await rename(join(archive, `${name}.hidden`), join(archive, name));
  };
}

async function operationOutcome(s: Sandbox, id: string): Promise<{ status: string; error?: string }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const op = (await neonApi(s, "GET", `:project/operations/${id}`)).body.operation;
    if (op.status === "finished" || op.status === "failed") return { status: op.status, error: op.error };
    if (Date.now() > deadline) throw new Error(`operation ${id} still ${op.status}`);
    await sleep(100);
  }
}

describe("sandbox point-in-time recovery of a stopped branch whose last WAL is not archived yet", () => {
  const sandbox = useSandbox({ archiveWaitMs: 8000 });

  test("the segment never arrives: the branch is not made, and the operation says why", async () => {
    const s = sandbox();
    const { point, since } = await commitsThenSuspend(s, "Missing");
    const putBack = await hideSegmentsSince(s, since);
    try {
      const r = await neonApi(s, "POST", ":project/branches", {
        branch: { name: "short-of-wal", parent_timestamp: point },
        endpoints: [{ type: "read_write" }],
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const timeline = r.body.operations.find((o: { action: string }) => o.action === "create_timeline");
      const outcome = await operationOutcome(s, timeline.id);
      assert.equal(outcome.status, "failed", "a branch without the commits before its point is not a success");
      assert.match(outcome.error ?? "", /not in the sandbox's archive|missing from the sandbox's archive/);
      const names = ((await neonApi(s, "GET", ":project/branches")).body.branches as { name: string }[]).map(
        (b) => b.name,
      );
      assert.ok(!names.includes("short-of-wal"), `no branch is left behind: ${names.join(", ")}`);
    } finally {
      await putBack();
    }
    // Once the WAL is there, the same request makes the branch with exactly the commit before the point.
    const again = await createBranch(s, { name: "short-of-wal", parent_timestamp: point });
    assert.deepEqual(await probes(again.uri, "Missing"), [1]);
  });

  test("the segment arrives late: the recovery waits for it and the branch holds every commit before the point", async () => {
    const s = sandbox();
    const { point, since } = await commitsThenSuspend(s, "Late");
    const putBack = await hideSegmentsSince(s, since);
    const arrives = sleep(1500).then(putBack);
    try {
      const branch = await createBranch(s, { name: "late-wal", parent_timestamp: point });
      assert.deepEqual(await probes(branch.uri, "Late"), [1]);
    } finally {
      await arrives;
    }
    // A restore of main in place, from its own stopped history, waits the same way.
    const { point: before, since: since2 } = await commitsThenSuspend(s, "LateRestore");
    const putBack2 = await hideSegmentsSince(s, since2);
    const arrives2 = sleep(1500).then(putBack2);
    try {
      const r = await neonApi(s, "POST", `:project/branches/${s.defaultBranchId}/restore`, {
        source_branch_id: s.defaultBranchId,
        source_timestamp: before,
        preserve_under_name: "main-before-late-restore",
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await waitForOperations(s, r.body.operations);
    } finally {
      await arrives2;
    }
    assert.deepEqual(await probes(s.connectionUri() as string, "LateRestore"), [1]);
    assert.deepEqual(await probes(s.connectionUri() as string, "Late"), [1, 2]);
  });
});
