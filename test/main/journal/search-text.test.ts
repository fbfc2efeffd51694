import { test } from "node:test";
import assert from "node:assert/strict";
import { openJournal, openJournalReader } from "../../../src/main/journal/journal.ts";
import { SEARCH_TEXT_MAX, searchTextOf } from "../../../src/main/journal/search-text.ts";
import { tempJournalDir, testClock } from "./journal-test-dir.ts";

const longStderr = `${"pg_restore: warning: something long ".repeat(60)} then Zebra-Crossing-Table at the end`;

test("the index keeps a record's first 1,024 characters of text; a word past them is still found", async () => {
  const t = tempJournalDir();
  const c = testClock("2026-02-01T00:00:00Z");
  const j = await openJournal({ dir: t.dir, clock: c.clock, segmentBytes: 8 * 1024 });
  try {
    for (let i = 0; i < 40; i++) await j.append({ kind: "backup.run", summary: `backup ${i}`, outcome: "ok" });
    const long = await j.append({
      kind: "restore.run",
      summary: "pg_restore reported errors",
      outcome: "failed",
      details: { stderr: longStderr },
    });
    // Another long record without the word: read in full too, and not matched.
    await j.append({ kind: "restore.run", summary: "long", outcome: "failed", details: { stderr: "x ".repeat(900) } });
    assert.ok(!searchTextOf(long).includes("zebra"), "the indexed text is cut before the word");
    assert.equal(searchTextOf(long).length, SEARCH_TEXT_MAX);

    for (const reader of [j, await openJournalReader(t.dir)]) {
      assert.deepEqual(
        (await reader.query({ text: "Zebra-Crossing-Table" })).records.map((r) => r.seq),
        [long.seq],
      );
      assert.equal((await reader.query({ text: "zebra-crossing-table", kind: "backup.run" })).total, 0);
      assert.equal((await reader.query({ text: "backup 39" })).total, 1, "short records are found from the index");
      assert.equal((await reader.query({ text: "something long" })).total, 1);
    }
  } finally {
    await j.close();
    t.cleanup();
  }
});
