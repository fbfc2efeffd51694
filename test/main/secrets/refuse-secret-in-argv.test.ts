import { test } from "node:test";
import assert from "node:assert/strict";
import { refuseSecretInArgv } from "../../../src/main/secrets/read-secret-input.ts";
import { redactText } from "../../../src/main/secrets/redact.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";

function assertRefused(argv: string[], value: string) {
  assert.throws(
    () => refuseSecretInArgv(argv),
    (e: unknown) => {
      assert.ok(e instanceof LifeboatError);
      assert.equal(e.code, "SECRET_FROM_ARGV");
      assert.match(e.message, /never taken from the command line/);
      assert.match(e.message, /`ps`/);
      assert.match(e.hint ?? "", /printf %s "\$X" \| lifeboat secret set NAME/);
      assert.ok(
        !JSON.stringify(e.toInfo()).includes(value),
        `the value must not appear: ${JSON.stringify(e.toInfo())}`,
      );
      return true;
    },
    argv.join(" "),
  );
}

test("secret set NAME VALUE is refused, whatever comes before it", () => {
  assertRefused(["secret", "set", "clinic-db", "Hunter2Value"], "Hunter2Value");
  assertRefused(
    [
      "/usr/bin/node",
      "/opt/lifeboat/bin/lifeboat.js",
      "--config",
      "/etc/l.json",
      "secret",
      "set",
      "clinic-db",
      "Hunter2Value",
    ],
    "Hunter2Value",
  );
  assertRefused(["secret", "set", "--", "clinic-db", "Hunter2Value"], "Hunter2Value");
});

test("secret set NAME=VALUE is refused", () => {
  assertRefused(["secret", "set", "clinic-db=Hunter2Value"], "Hunter2Value");
});

test("secret-valued options are refused in both spellings", () => {
  assertRefused(["secret", "set", "clinic-db", "--value", "Hunter2Value"], "Hunter2Value");
  assertRefused(["secret", "set", "clinic-db", "--value=Hunter2Value"], "Hunter2Value");
  assertRefused(["backup", "--password", "Hunter2Value"], "Hunter2Value");
  assertRefused(["backup", "--token=Hunter2Value"], "Hunter2Value");
  assertRefused(["restore", "--passphrase", "Hunter2Value"], "Hunter2Value");
});

test("a connection URL with a password is refused", () => {
  assertRefused(["backup", "--url", "postgres://app:Hunter2Value@db.example/app"], "Hunter2Value");
});

test("a refused value is remembered, so anything that prints argv later is scrubbed", () => {
  assert.throws(() => refuseSecretInArgv(["secret", "set", "x", "RememberedValue42"]));
  assert.equal(redactText("error: too many arguments: RememberedValue42"), "error: too many arguments: [REDACTED]");
});

test("ordinary invocations pass", () => {
  for (const argv of [
    ["secret", "set", "clinic-db"],
    ["secret", "set", "clinic-db", "--config", "/etc/lifeboat.json"],
    ["secret", "set", "--profile", "clinic", "clinic-db"],
    ["secret", "delete", "clinic-db"],
    ["secret", "get", "clinic-db"],
    ["backup", "--profile", "clinic"],
    ["backup", "--password", "keychain:clinic-db"],
    ["backup", "--password=env:PGPASSWORD"],
    ["backup", "--url", "postgres://app@db.example/app"],
    [],
  ]) {
    assert.doesNotThrow(() => refuseSecretInArgv(argv), argv.join(" "));
  }
});
