import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openJournal, openJournalReader, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { JournalIndex } from "../../../src/main/journal/journal-index.ts";
import { tempJournalDir, testClock } from "./journal-test-dir.ts";

const t = tempJournalDir();
let j: OpenJournal;
const c = testClock("2026-02-01T00:00:00Z");

before(async () => {
  j = await openJournal({ dir: t.dir, clock: c.clock, segmentBytes: 8 * 1024 });
  for (let i = 0; i < 300; i++) {
    c.advance(60_000);
    await j.append({
      kind: i % 3 === 0 ? "backup.run" : i % 3 === 1 ? "verify.run" : "neon.recover-to",
      summary: i === 150 ? "Restored ClinicalNote from branch Ünïcode-Zürich" : `operation ${i}`,
      profile: i % 2 ? "prod" : "staging",
      ...(i >= 100 && i < 120 ? { incident: "inc-a" } : {}),
      outcome: i % 10 === 0 ? "failed" : "ok",
      details: { table: i % 7 === 0 ? "Patient" : "Session", n: i },
    });
  }
});
after(async () => {
  await j.close();
  JournalIndex.textChunkBytes = 8 << 20;
  t.cleanup();
});

describe("journal index and queries", () => {
  test("filters by incident, kind (exact and prefix), profile, outcome", async () => {
    assert.equal((await j.query({ incident: "inc-a" })).total, 20);
    assert.equal((await j.query({ kind: "backup.run" })).total, 100);
    assert.equal((await j.query({ kind: "neon.*" })).total, 100);
    assert.equal((await j.query({ kind: "verify." })).total, 100);
    assert.equal((await j.query({ kind: "backup" })).total, 0, "a bare word is an exact kind");
    assert.equal((await j.query({ profile: "prod" })).total, 150);
    assert.equal((await j.query({ outcome: "failed" })).total, 30);
    assert.equal((await j.query({ incident: "inc-a", outcome: "failed" })).total, 2);
    assert.equal((await j.query({ incident: "nope" })).total, 0);
  });

  test("text search is case-insensitive over summary, kind and detail values", async () => {
    assert.deepEqual(
      (await j.query({ text: "ünïcode-zürich" })).records.map((r) => r.seq),
      [151],
    );
    assert.equal((await j.query({ text: "PATIENT" })).total, 43);
    assert.equal((await j.query({ text: "patient", kind: "backup.run" })).total, 15);
    assert.equal((await j.query({ text: "no such words" })).total, 0);
  });

  test("text search finds matches across scan-chunk boundaries", async () => {
    JournalIndex.textChunkBytes = 7;
    try {
      assert.equal((await j.query({ text: "patient" })).total, 43);
      assert.deepEqual(
        (await j.query({ text: "ünïcode-zürich" })).records.map((r) => r.seq),
        [151],
      );
    } finally {
      JournalIndex.textChunkBytes = 8 << 20;
    }
  });

  test("time and seq ranges, limit and newest", async () => {
    const r = await j.query({ since: "2026-02-01T01:00:00Z", until: "2026-02-01T02:00:00Z" });
    assert.equal(r.total, 60, "one record a minute (each 1 ms later than the last)");
    const page = await j.query({ limit: 5, newest: true });
    assert.deepEqual(
      page.records.map((x) => x.seq),
      [296, 297, 298, 299, 300],
    );
    assert.equal(page.total, 300);
    assert.deepEqual(
      (await j.query({ fromSeq: 10, toSeq: 12 })).records.map((x) => x.seq),
      [10, 11, 12],
    );
    assert.equal((await j.get(42))!.seq, 42);
    await assert.rejects(j.query({ since: "yesterday-ish" }), /not a date/);
  });

  test("incident summaries come from the index", async () => {
    const list = await j.incidents();
    assert.deepEqual(
      list.map((i) => [i.id, i.records]),
      [["inc-a", 20]],
    );
  });

  test("the index is persisted and a second reader catches up incrementally", async () => {
    const r1 = openJournalReader(t.dir);
    assert.equal(await r1.count(), 300);
    assert.deepEqual(r1.indexWarnings, []);
    await j.append({ kind: "operator.note", summary: "one more" });
    assert.equal(await r1.count(), 301);
    assert.equal((await r1.query({ text: "one more" })).total, 1);
    const meta = JSON.parse(readFileSync(join(t.dir, "index", "meta.json"), "utf8"));
    assert.equal(meta.count, 301);
  });

  test("the in-memory index grows past its initial capacity, and reloads from disk", async () => {
    const big = tempJournalDir();
    try {
      const w = await openJournal({ dir: big.dir });
      await Promise.all(
        Array.from({ length: 14_000 }, (_, i) =>
          w.append({ kind: "operator.note", summary: `n${i}`, ...(i % 1000 === 0 ? { incident: "inc-k" } : {}) }),
        ),
      );
      assert.equal(await w.count(), 14_000);
      assert.equal((await w.query({ incident: "inc-k" })).total, 14);
      await w.close();
      const r = openJournalReader(big.dir);
      assert.deepEqual(
        (await r.query({ text: "n13999" })).records.map((x) => x.seq),
        [14_000],
      );
      assert.deepEqual(r.indexWarnings, []);
    } finally {
      big.cleanup();
    }
  });

  test("an edited segment or a deleted index is noticed and the index is rebuilt from the journal", async () => {
    const seg = readdirSync(t.dir)
      .filter((n) => n.endsWith(".jsonl"))
      .sort()[0]!;
    const path = join(t.dir, seg);
    const original = readFileSync(path, "utf8");
    writeFileSync(path, original.replace("operation 1", "operation one (edited, longer)"));
    const r = openJournalReader(t.dir);
    assert.equal(await r.count(), 301);
    assert.match(r.indexWarnings.join(" "), /index rebuilt: segment .* changed size/);
    assert.equal((await r.query({ text: "operation one (edited" })).total, 1);
    writeFileSync(path, original);

    rmSync(join(t.dir, "index"), { recursive: true });
    const r2 = openJournalReader(t.dir);
    assert.equal(await r2.count(), 301);
  });
});
