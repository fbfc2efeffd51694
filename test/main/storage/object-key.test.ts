import { test } from "node:test";
import assert from "node:assert/strict";
import { joinKey, joinListPrefix, keySegments, stripPrefix } from "../../../src/main/storage/object-key.ts";
import { isLifeboatError } from "../../../src/shared/errors.ts";

test("joinKey normalizes slashes", () => {
  assert.equal(joinKey("", "a/b.dump"), "a/b.dump");
  assert.equal(joinKey("/lifeboat/", "/a//b.dump"), "lifeboat/a/b.dump");
  assert.equal(joinKey("x//y", "z"), "x/y/z");
});

test("keys that could escape a folder, or are empty, are refused", () => {
  for (const bad of ["", "/", "..", "a/../b", "./a", "a\0b"]) {
    assert.throws(
      () => keySegments(bad),
      (e) => isLifeboatError(e),
      bad,
    );
  }
});

test("list prefixes keep their trailing slash and never match a sibling prefix", () => {
  assert.equal(joinListPrefix("", ""), "");
  assert.equal(joinListPrefix("lb", ""), "lb/");
  assert.equal(joinListPrefix("/lb/", "backups/"), "lb/backups/");
  assert.equal(joinListPrefix("lb", "backups/2024-"), "lb/backups/2024-");
  assert.equal(joinListPrefix("", "/a//b/"), "a/b/");
});

test("stripPrefix gives keys relative to the store", () => {
  assert.equal(stripPrefix("lb", "lb/a/b"), "a/b");
  assert.equal(stripPrefix("/lb/", "lb/a"), "a");
  assert.equal(stripPrefix("", "a/b"), "a/b");
});
