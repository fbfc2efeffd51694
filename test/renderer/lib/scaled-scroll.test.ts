import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_SCROLL_PX, realTop, scrollScale } from "../../../src/renderer/src/lib/scaled-scroll.ts";

test("a list that fits the browser's height limit is not compressed", () => {
  assert.deepEqual(scrollScale(1000 * 34, 600), { realSize: 34_000, ratio: 1 });
  assert.equal(realTop(340, 200, 1), 340);
});

test("a million rows are compressed under the limit, with both ends lining up", () => {
  const rows = 1_000_000;
  const row = 34;
  const viewport = 600;
  const { realSize, ratio } = scrollScale(rows * row, viewport);
  assert.equal(realSize, MAX_SCROLL_PX);
  assert.ok(ratio > 4 && ratio < 4.3, `ratio ${ratio}`);
  // At the last real scroll position the virtual offset shows the last row at the bottom of the viewport.
  const lastReal = realSize - viewport;
  const virtualOffset = lastReal * ratio;
  assert.ok(Math.abs(virtualOffset - (rows * row - viewport)) < 1e-6);
  const lastRowTop = realTop((rows - 1) * row, virtualOffset, ratio);
  assert.ok(
    Math.abs(lastRowTop + row - (lastReal + viewport)) < 1e-6,
    "the last row ends exactly at the viewport's bottom",
  );
  // A row at the current virtual offset is drawn at the current real scroll position (top of the viewport).
  const mid = 123_456 * row;
  assert.ok(Math.abs(realTop(mid, mid, ratio) - mid / ratio) < 1e-6);
});
