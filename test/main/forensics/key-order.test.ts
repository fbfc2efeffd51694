import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  compareBytesText,
  compareIntText,
  keyColumn,
  keyComparator,
  keysetCapable,
} from "../../../src/main/forensics/key-order.ts";
import type { ColumnInfo } from "../../../src/main/forensics/table-info.ts";

const col = (type: string, collationIsC = false): ColumnInfo => ({
  name: "k",
  type,
  notNull: true,
  default: null,
  generated: "",
  identity: "",
  collateClause: null,
  collationIsC,
});
const sign = (n: number) => Math.sign(n);

describe("key order", () => {
  test("integers as text compare numerically, negatives and 64-bit included", () => {
    const values = [
      "-9223372036854775808",
      "-100",
      "-99",
      "-1",
      "0",
      "1",
      "9",
      "10",
      "99",
      "100",
      "9007199254740993",
      "9223372036854775807",
    ];
    for (let i = 0; i < values.length; i++) {
      for (let j = 0; j < values.length; j++) {
        assert.equal(sign(compareIntText(values[i]!, values[j]!)), sign(i - j), `${values[i]} vs ${values[j]}`);
      }
    }
  });

  test("text compares in UTF-8 byte order (PostgreSQL's C collation), surrogate pairs included", () => {
    const samples = [
      "",
      "a",
      "B",
      "b",
      "ab",
      "é",
      "z",
      "\u{ffff}",
      "\u{e000}",
      "\u{1f600}",
      "\u{10000}",
      "日本",
      "a\u0000",
      "Z",
    ];
    for (const a of samples) {
      for (const b of samples) {
        assert.equal(
          sign(compareBytesText(a, b)),
          sign(Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))),
          `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
        );
      }
    }
  });

  test("key kinds: integers and uuids walk the index; text only in a C collation; the rest by text form", () => {
    assert.deepEqual([keyColumn(col("bigint")).kind, keyColumn(col("bigint")).native], ["int", true]);
    assert.deepEqual([keyColumn(col("uuid")).kind, keyColumn(col("uuid")).native], ["uuid", true]);
    assert.equal(keyColumn(col("text", true)).native, true);
    assert.equal(keyColumn(col("character varying(20)", true)).native, true);
    assert.equal(keyColumn(col("text", false)).native, false);
    assert.equal(keyColumn(col("timestamp(3) without time zone")).native, false);
    assert.equal(keysetCapable([keyColumn(col("integer")), keyColumn(col("text", false))]), false);
  });

  test("composite keys compare column by column", () => {
    const cmp = keyComparator([keyColumn(col("integer")), keyColumn(col("text", true))]);
    assert.ok(cmp(["2", "a"], ["10", "a"]) < 0);
    assert.ok(cmp(["10", "b"], ["10", "a"]) > 0);
    assert.equal(cmp(["10", "a"], ["10", "a"]), 0);
  });
});
