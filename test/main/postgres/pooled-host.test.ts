import { test } from "node:test";
import assert from "node:assert/strict";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { assertDirectHost, isPooledHost } from "../../../src/main/postgres/pooled-host.ts";

test("a Neon pooler host is refused with the direct host in the hint", () => {
  const host = "ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech";
  assert.throws(
    () => assertDirectHost(host),
    (e: unknown) =>
      e instanceof LifeboatError &&
      e.code === "POOLED_HOST" &&
      /direct \(unpooled\) connection/.test(e.message) &&
      /snapshot/.test(e.message) &&
      (e.hint ?? "").includes("ep-cool-darkness-123456.us-east-2.aws.neon.tech"),
  );
  assert.throws(() => assertDirectHost("EP-X-POOLER.eu-central-1.aws.neon.tech"), LifeboatError);
});

test("direct hosts pass, including ones with 'pooler' outside the first label", () => {
  for (const host of [
    "ep-cool-darkness-123456.us-east-2.aws.neon.tech",
    "127.0.0.1",
    "db.internal",
    "pgpooler.example.com",
    "ep-x.pooler-region.example.com",
  ]) {
    assert.doesNotThrow(() => assertDirectHost(host), host);
    assert.equal(isPooledHost(host), false, host);
  }
});
