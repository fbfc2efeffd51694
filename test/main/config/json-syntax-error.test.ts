import { test } from "node:test";
import assert from "node:assert/strict";
import { findJsonSyntaxError } from "../../../src/main/config/json-syntax-error.ts";

test("valid JSON has no error", () => {
  for (const text of ['{"a": [1, -2.5e3, true, null, "x\\u00e9\\n"], "b": {}}', "[]", "\uFEFF{}", ' "s" ']) {
    assert.equal(findJsonSyntaxError(text), null, text);
  }
});

test("errors are located by line and column, agreeing with JSON.parse on what is invalid", () => {
  const cases: [string, number, number, RegExp][] = [
    ['{\n  "a": hunter2\n}', 2, 8, /unexpected character/],
    ['{\n  "a": 1,\n}', 3, 1, /trailing comma/],
    ['{"a": 1 "b": 2}', 1, 9, /expected ','/],
    ['{"a": "x', 1, 9, /not closed/],
    ["{'a': 1}", 1, 2, /double-quoted property name/],
    ['{"a": 1} // note', 1, 10, /after the end/],
    ['{\n  // note\n  "a": 1}', 2, 3, /comments/],
    ['{"a": [1, 2,]}', 1, 13, /trailing comma/],
    ['{"a": "line\nbreak"}', 1, 12, /control character/],
    ["", 1, 1, /ends where a value was expected/],
  ];
  for (const [text, line, column, problem] of cases) {
    assert.throws(() => JSON.parse(text));
    const err = findJsonSyntaxError(text);
    assert.ok(err, text);
    assert.deepEqual([err.line, err.column], [line, column], text);
    assert.match(err.problem, problem, text);
  }
});
