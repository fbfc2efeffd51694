import { test } from "node:test";
import assert from "node:assert/strict";
import { forgetAllSecrets, redactDeep, redactText, rememberSecret } from "../../../src/main/secrets/redact.ts";

test("a remembered secret is removed, also in its JSON-escaped and URL-encoded forms", () => {
  forgetAllSecrets();
  const secret = 'p@ss "w/rd"\\1';
  rememberSecret(secret);
  assert.equal(redactText(`raw ${secret} end`), "raw [REDACTED] end");
  assert.equal(redactText(JSON.stringify({ v: secret })), '{"v":"[REDACTED]"}');
  assert.equal(redactText(`https://h/?q=${encodeURIComponent(secret)}`), "https://h/?q=[REDACTED]");
  assert.deepEqual(redactDeep({ list: [secret], n: 1 }), { list: ["[REDACTED]"], n: 1 });
});

test("very short values are not remembered (they would mangle ordinary text)", () => {
  forgetAllSecrets();
  rememberSecret("abc");
  assert.equal(redactText("abcdef"), "abcdef");
});

test("passwords are removed by shape even when never remembered", () => {
  forgetAllSecrets();
  assert.equal(redactText("postgres://u:Sh4pe@h/db"), "postgres://u:[REDACTED]@h/db");
  assert.equal(redactText("PGPASSWORD=Sh4pe ok"), "PGPASSWORD=[REDACTED] ok");
});
