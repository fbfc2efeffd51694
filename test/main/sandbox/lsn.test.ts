import assert from "node:assert/strict";
import { test } from "node:test";
import { compareLsn, formatLsn, parseLsn } from "../../../src/main/sandbox/lsn.ts";

test("LSNs parse, print in PostgreSQL's form and compare as 64-bit positions", () => {
  assert.equal(parseLsn("0/1DE2850"), 0x1de2850n);
  assert.equal(parseLsn("1/0"), 1n << 32n);
  assert.equal(formatLsn(parseLsn("0/1de2850") as bigint), "0/1DE2850");
  assert.equal(parseLsn("0/"), null);
  assert.equal(parseLsn("x/1"), null);
  assert.equal(parseLsn("123456789/0"), null);
  // Compared numerically, not as text: "0/9" is before "0/10".
  assert.ok(compareLsn("0/9", "0/10") < 0);
  assert.ok(compareLsn("1/0", "0/FFFFFFFF") > 0);
  assert.equal(compareLsn("0/A", "0/a"), 0);
});
