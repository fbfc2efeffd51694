import assert from "node:assert/strict";
import { test } from "node:test";
import { page } from "../../../src/main/sandbox/list-pages.ts";
import { NeonApiError } from "../../../src/main/sandbox/neon-error.ts";

const items = ["d", "a", "c", "b", "e"].map((name, i) => ({ name, id: `id-${i}` }));
const key = (x: { name: string; id: string }): [string, string] => [x.name, x.id];

test("pages follow the ordering; the cursor names the last item, so an item added meanwhile is not skipped", () => {
  const p1 = page(items, key, { limit: "2", cursor: null, order: "asc" });
  assert.deepEqual(
    p1.items.map((x) => x.name),
    ["a", "b"],
  );
  const grown = [...items, { name: "bb", id: "id-9" }];
  const p2 = page(grown, key, { limit: "2", cursor: p1.next!, order: "asc" });
  assert.deepEqual(
    p2.items.map((x) => x.name),
    ["bb", "c"],
  );
  const p3 = page(grown, key, { limit: "10", cursor: p2.next!, order: "asc" });
  assert.deepEqual(
    p3.items.map((x) => x.name),
    ["d", "e"],
  );
  assert.equal(p3.next, undefined);
  assert.deepEqual(
    page(items, key, { limit: "2", cursor: null, order: "desc" }).items.map((x) => x.name),
    ["e", "d"],
  );
});

test("a bad limit or a cursor this API never gave out is Neon's 400", () => {
  for (const q of [
    { limit: "0", cursor: null },
    { limit: "x", cursor: null },
    { limit: "2", cursor: "garbage" },
  ])
    assert.throws(
      () => page(items, key, { ...q, order: "asc" }),
      (e: unknown) => e instanceof NeonApiError && e.status === 400,
    );
});
