// Bad numbers on the command line are usage errors (commander's InvalidArgumentError, exit 2), never a plain Error
// that reads as "a bug in Lifeboat" (exit 1), and never silently a different number ("1e12" is not 1).
import { test } from "node:test";
import assert from "node:assert/strict";
import { InvalidArgumentError } from "commander";
import { intInRange, port, positiveInt, positiveNumber } from "../../../../src/main/cli/commands/option-helpers.ts";

const refused = (parse: (v: string) => number, value: string) =>
  assert.throws(() => parse(value), InvalidArgumentError, `"${value}" should be refused`);

test("whole numbers out of range or not written as digits are refused as usage errors", () => {
  const jobs = intInRange(1, 16);
  for (const v of ["0", "-1", "17", "abc", "", "1e3", "0x10", "12abc", "1.5", "9007199254740993"]) refused(jobs, v);
  assert.equal(jobs("4"), 4);
  assert.equal(jobs(" 16 "), 16);
});

test("ports are 1 to 65535", () => {
  for (const v of ["-1", "0", "65536", "99999", "http"]) refused(port, v);
  assert.equal(port("5432"), 5432);
});

test("positive counts and durations refuse zero, negatives, exponents and huge values", () => {
  for (const v of ["0", "-5", "abc", "1e12", "Infinity", "NaN", ""]) refused(positiveNumber, v);
  for (const v of ["0", "-5", "2.5"]) refused(positiveInt, v);
  assert.equal(positiveNumber("1.5"), 1.5);
  assert.equal(positiveNumber("30"), 30);
  assert.equal(positiveInt("3"), 3);
});
