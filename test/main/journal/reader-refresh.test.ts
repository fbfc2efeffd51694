// A reader asked many questions at once (`check` over 100 profiles) shares its index refreshes: every answer still
// holds every record written before its question was asked, with writes landing between the questions.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { openJournal, openJournalReader } from "../../../src/main/journal/journal.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const t = tempJournalDir();
after(() => t.cleanup());

test("concurrent queries each see every record written before they asked", async () => {
  const writer = await openJournal({ dir: t.dir });
  const reader = openJournalReader(t.dir);
  try {
    const append = (i: number) =>
      writer.append({ kind: "verify.deep", summary: `verify ${i}`, profile: `p${(i / 10) % 2}`, outcome: "ok" });
    await append(0);
    assert.equal((await reader.query({})).total, 1);
    const asked: { before: number; answer: Promise<number> }[] = [];
    for (let i = 1; i <= 200; i++) {
      // Writes land between questions while earlier questions are still refreshing.
      if (i % 10 === 0) await append(i);
      const before = (await writer.tip()).seq;
      asked.push({ before, answer: reader.query({ kind: "verify.deep" }).then((r) => r.total) });
    }
    for (const [n, a] of asked.entries()) {
      const total = await a.answer;
      assert.ok(total >= a.before, `question ${n + 1} was asked after record #${a.before} but saw ${total} records`);
    }
    assert.equal((await reader.query({ profile: "p1" })).total, 10); // records 10, 30, …, 190
  } finally {
    await writer.close();
  }
});
