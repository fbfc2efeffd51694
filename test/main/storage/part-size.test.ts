import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_PART, MAX_PARTS, MIN_PART, choosePartSize, maxObjectBytes } from "../../../src/main/storage/part-size.ts";

const MIB = 1024 * 1024;
const TB = 1e12;

test("no hint: the minimum part, which caps an object at about 78 GiB", () => {
  assert.equal(choosePartSize(undefined), MIN_PART);
  assert.equal(choosePartSize(0), MIN_PART);
  assert.equal(choosePartSize(Number.NaN), MIN_PART);
  assert.equal(maxObjectBytes(MIN_PART), 8 * MIB * 10_000);
  assert.ok(maxObjectBytes(MIN_PART) > 78 * 1024 ** 3 && maxObjectBytes(MIN_PART) < 79 * 1024 ** 3);
});

test("small hints use the minimum part", () => {
  assert.equal(choosePartSize(1), MIN_PART);
  assert.equal(choosePartSize(20 * MIB), MIN_PART);
  assert.equal(choosePartSize(50 * 1024 ** 3), MIN_PART); // 50 GiB x 1.1 / 10,000 = 5.6 MiB
});

test("a 5 TB hint fits in 10,000 parts, each within S3's 5 GiB limit", () => {
  const part = choosePartSize(5 * TB);
  assert.ok(Math.ceil((5 * TB) / part) <= MAX_PARTS, `5 TB needs ${Math.ceil((5 * TB) / part)} parts of ${part}`);
  assert.ok(part <= 5 * 1024 ** 3);
  assert.equal(part % MIB, 0, "rounded up to a MiB");
  // With the 10% headroom, an object 10% larger than the hint still fits.
  assert.ok(Math.ceil((5.5 * TB) / part) <= MAX_PARTS);
});

test("parts grow with the hint, rounded up to whole MiB", () => {
  const hint = 200 * 1024 ** 3; // 200 GiB -> 22 GiB x ... = 22.53 MiB -> 23 MiB
  const part = choosePartSize(hint);
  assert.equal(part, 23 * MIB);
  assert.ok(Math.ceil((hint * 1.1) / part) <= MAX_PARTS);
});

test("an absurd hint is capped at S3's maximum part size", () => {
  assert.equal(choosePartSize(1e15), MAX_PART);
});
