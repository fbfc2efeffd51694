import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveSecret } from "../../../src/main/secrets/resolve.ts";
import { redactText } from "../../../src/main/secrets/redact.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";

const rejectsWith = (p: Promise<unknown>, code: string, check: (e: LifeboatError) => void) =>
  assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof LifeboatError);
    assert.equal(e.code, code);
    check(e);
    return true;
  });

test("env: reads the variable from the given environment and remembers it for redaction", async () => {
  const value = "env-secret-4f9a1c";
  assert.equal(await resolveSecret("env:LIFEBOAT_TEST_PW", { LIFEBOAT_TEST_PW: value }), value);
  assert.equal(redactText(`connecting with ${value}`), "connecting with [REDACTED]");
});

test("env: defaults to process.env", async () => {
  process.env.LIFEBOAT_TEST_PROCESS_PW = "from-process-env";
  try {
    assert.equal(await resolveSecret("env:LIFEBOAT_TEST_PROCESS_PW"), "from-process-env");
  } finally {
    delete process.env.LIFEBOAT_TEST_PROCESS_PW;
  }
});

test("a missing env var names the reference and says to export it", async () => {
  await rejectsWith(resolveSecret("env:CLINIC_DB_PASSWORD", {}), "SECRET_MISSING", (e) => {
    assert.match(e.message, /"env:CLINIC_DB_PASSWORD"/);
    assert.match(e.message, /is not set/);
    assert.match(e.hint ?? "", /export CLINIC_DB_PASSWORD=/);
  });
});

test("an empty env var counts as missing", async () => {
  await rejectsWith(resolveSecret("env:EMPTY_ONE", { EMPTY_ONE: "" }), "SECRET_MISSING", (e) =>
    assert.match(e.message, /is empty/),
  );
});

test("a literal value passed as a reference is refused without echoing it", async () => {
  await rejectsWith(resolveSecret("hunter2-literal", {}), "CONFIG_INVALID", (e) => {
    assert.doesNotMatch(`${e.message} ${e.hint}`, /hunter2/);
    assert.match(e.hint ?? "", /keychain:NAME/);
  });
});

test("a malformed env reference is refused", async () => {
  await rejectsWith(resolveSecret("env:not a var", {}), "CONFIG_INVALID", (e) =>
    assert.match(e.message, /env:not a var/),
  );
});
