import { test } from "node:test";
import assert from "node:assert/strict";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { cancelReason, RunScope } from "../../../src/main/engine/run-scope.ts";

test("an operation that was not stopped reports its own error", () => {
  const scope = new RunScope(new AbortController().signal);
  const e = new Error("pg_dump failed");
  assert.equal(scope.explain(e, "backup x", "nothing committed"), e);
  assert.doesNotThrow(() => scope.check("backup x", "nothing committed"));
});

test("a cancel turns whatever the teardown threw into CANCELLED, saying by whom and what is left", () => {
  const outer = new AbortController();
  const scope = new RunScope(outer.signal);
  outer.abort(cancelReason("Ctrl-C"));
  assert.ok(scope.signal.aborted, "the operation's own signal follows the outer one");
  const e = scope.explain(new Error("write EPIPE"), "backup x", "the upload was aborted") as LifeboatError;
  assert.equal(e.code, "CANCELLED");
  assert.equal(e.message, "backup x was cancelled (by Ctrl-C); the upload was aborted");
  assert.throws(
    () => scope.check("backup x", "nothing"),
    (t: LifeboatError) => t.code === "CANCELLED",
  );
});

test("a watchdog's failure is reported as itself, not as a cancel, and a later cancel does not replace it", () => {
  const outer = new AbortController();
  const scope = new RunScope(outer.signal);
  const frozen = new LifeboatError("PG_UNREACHABLE", "the source database server stopped answering");
  scope.fail(frozen);
  outer.abort(cancelReason("SIGTERM"));
  assert.equal(scope.explain(new Error("EPIPE"), "backup x", "..."), frozen);
  assert.equal(scope.cancelled, false);
});

test("an outer signal aborted before the scope existed stops it at once", () => {
  const outer = new AbortController();
  outer.abort(cancelReason("the console"));
  const scope = new RunScope(outer.signal);
  assert.throws(
    () => scope.check("restore", "nothing was restored"),
    /cancelled \(by the console\); nothing was restored/,
  );
});
