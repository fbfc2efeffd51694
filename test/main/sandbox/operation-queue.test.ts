import assert from "node:assert/strict";
import { test } from "node:test";
import { Mutex } from "../../../src/main/sandbox/mutex.ts";
import { LOCKED_MESSAGE, NeonApiError } from "../../../src/main/sandbox/neon-error.ts";
import { OperationQueue } from "../../../src/main/sandbox/operation-queue.ts";
import type { OperationRecord } from "../../../src/main/sandbox/sandbox-state.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function queue(): { q: OperationQueue; records: OperationRecord[]; saves: () => number } {
  const records: OperationRecord[] = [];
  let saves = 0;
  const q = new OperationQueue("calm-harbor-12345678", records, new Mutex(), async () => {
    saves++;
  });
  return { q, records, saves: () => saves };
}

test("one mutating request at a time: a second one is refused with Neon's 423 until the first's operations end", async () => {
  const { q, records } = queue();
  const claim = q.reserve();
  assert.throws(
    () => q.reserve(),
    (e: unknown) => e instanceof NeonApiError && e.status === 423 && e.message === LOCKED_MESSAGE,
  );
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const ops = q.start(
    [
      { action: "create_timeline", branchId: "br-a-b-c", run: () => gate },
      { action: "start_compute", branchId: "br-a-b-c", endpointId: "ep-a-b-c", run: async () => {} },
    ],
    claim.release,
  );
  assert.deepEqual(
    ops.map((o) => [o.action, o.status]),
    [
      ["create_timeline", "scheduling"],
      ["start_compute", "scheduling"],
    ],
  );
  assert.equal(ops[1]?.endpoint_id, "ep-a-b-c");
  await sleep(10);
  assert.equal(records[0]?.status, "running");
  assert.equal(records[1]?.status, "scheduling");
  assert.throws(() => q.reserve(), /running conflicting operations/);
  release();
  await q.idle();
  assert.deepEqual(
    records.map((o) => o.status),
    ["finished", "finished"],
  );
  assert.ok(records.every((o) => o.total_duration_ms >= 0 && o.failures_count === 0));
  q.reserve().release();
  // A refused request (validation failed after reserving) frees the project again.
  const c = q.reserve();
  c.release();
  c.release();
  q.reserve().release();
});

test("a failing operation is failed with its error, the later ones are not run; the project is free again", async () => {
  const { q, records, saves } = queue();
  let ran = false;
  q.start(
    [
      {
        action: "create_timeline",
        run: async () => Promise.reject(new Error("point-in-time recovery failed: no WAL")),
      },
      { action: "start_compute", run: async () => void (ran = true) },
    ],
    q.reserve().release,
  );
  await q.idle();
  assert.equal(ran, false);
  assert.deepEqual(
    records.map((o) => [o.status, o.failures_count]),
    [
      ["failed", 1],
      ["failed", 0],
    ],
  );
  assert.match(records[0]?.error ?? "", /no WAL/);
  assert.match(records[1]?.error ?? "", /not run: operation .* \(create_timeline\) failed/);
  assert.ok(saves() >= 2, "every change is saved");
  assert.doesNotThrow(() => q.reserve().release());
});

test("delayMs holds each operation running (tests watch 423); cutDelays ends the holds when the sandbox stops", async () => {
  const { q, records } = queue();
  q.delayMs = 60_000;
  const started = Date.now();
  q.start([{ action: "delete_timeline", run: async () => {} }], q.reserve().release);
  await sleep(50);
  assert.equal(records[0]?.status, "running");
  q.cutDelays();
  await q.idle();
  assert.equal(records[0]?.status, "finished");
  assert.ok(Date.now() - started < 5000);
});

test("operations interrupted by a crash are failed on restart", () => {
  const records = [{ status: "running" }, { status: "scheduling" }, { status: "finished" }] as OperationRecord[];
  OperationQueue.failInterrupted(records);
  assert.deepEqual(
    records.map((r) => r.status),
    ["failed", "failed", "finished"],
  );
  assert.match(records[0]?.error ?? "", /stopped while this operation ran/);
});
