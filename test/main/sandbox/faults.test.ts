import assert from "node:assert/strict";
import { test } from "node:test";
import { FaultInjector, parseFault, REQUEST_FAULTS } from "../../../src/main/sandbox/faults.ts";

test("--fault specs parse, and typos are usage errors that say what is understood", () => {
  assert.deepEqual(parseFault("drop-after:restoreProjectBranch"), {
    kind: "drop-after",
    operation: "restoreProjectBranch",
  });
  assert.deepEqual(parseFault("status:*,status=429,retry-after=2,times=3"), {
    kind: "status",
    operation: "*",
    status: 429,
    retryAfterSeconds: 2,
    times: 3,
  });
  assert.equal(parseFault("status,status=503,times=always").times, Infinity);
  assert.throws(() => parseFault("status"), /needs status=/);
  assert.throws(() => parseFault("explode"), /unknown kind "explode"/);
  assert.throws(() => parseFault("delay,wait=3"), /"wait=3" is not understood/);
});

test("a fault hits matching requests as often as asked, then is gone", () => {
  const f = new FaultInjector();
  f.add({ kind: "status", status: 503, operation: "getProject", times: 2 });
  assert.equal(f.take("listProjectBranches", "GET", REQUEST_FAULTS), undefined);
  assert.equal(f.take("getProject", "GET", REQUEST_FAULTS)?.status, 503);
  assert.equal(f.take("getProject", "GET", REQUEST_FAULTS)?.status, 503);
  assert.equal(f.take("getProject", "GET", REQUEST_FAULTS), undefined);
  f.add({ kind: "operation-stuck" });
  assert.equal(f.take("getProject", "GET", REQUEST_FAULTS), undefined, "operation faults are not request faults");
  assert.equal(f.list().length, 1);
});
