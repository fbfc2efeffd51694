import { test } from "node:test";
import assert from "node:assert/strict";
import { LifeboatError, exitCodeFor } from "../../src/shared/errors.ts";

test("error codes map to documented exit codes", () => {
  assert.equal(exitCodeFor("TARGET_NOT_EMPTY"), 8);
  assert.equal(exitCodeFor("ROWCOUNT_MISMATCH"), 7);
  assert.equal(exitCodeFor("OBJECT_CORRUPT"), 6);
  const e = new LifeboatError("PG_AUTH", "password rejected", "check the keychain entry");
  assert.deepEqual(e.toInfo(), { code: "PG_AUTH", message: "password rejected", hint: "check the keychain entry" });
});
