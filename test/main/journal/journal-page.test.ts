import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { journalPage } from "../../../src/main/journal/journal-page.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";

let dir: string;
let j: OpenJournal;
const N = 600;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-page-"));
  j = await openJournal({ dir });
  const pending = [];
  for (let i = 1; i <= N; i++) {
    const kind = i % 3 === 0 ? "backup.run" : i % 3 === 1 ? "verify.run" : "operator.note";
    pending.push(
      j.append({
        kind,
        summary: `${kind} number ${i}${i % 7 === 0 ? " needle" : ""}`,
        outcome: "info",
        ...(i % 2 ? { profile: "a" } : { profile: "b" }),
      }),
    );
  }
  await Promise.all(pending);
});
after(async () => {
  await j.close();
  await rm(dir, { recursive: true, force: true });
});

test("unfiltered: row i is seq i+1 at any offset", async () => {
  for (const offset of [0, 1, 299, 590, 599]) {
    const p = await journalPage(j, { offset, limit: 20 });
    assert.equal(p.total, N);
    assert.equal(p.offset, offset);
    assert.equal(p.records[0]?.seq, offset + 1);
    assert.equal(p.records.length, Math.min(20, N - offset));
  }
  assert.deepEqual((await journalPage(j, { offset: N, limit: 5 })).records, []);
});

test("filtered pages at an offset are exactly the slices of the whole filtered list", async () => {
  for (const filter of [
    { kind: "backup.run" },
    { profile: "b", kind: "verify." },
    { text: "needle" },
    { kind: "operator.note", fromSeq: 100, toSeq: 400 },
  ]) {
    const all = (await j.query({ ...filter, limit: N })).records.map((r) => r.seq);
    for (const offset of [0, 1, 17, Math.floor(all.length / 2), all.length - 1, all.length]) {
      const p = await journalPage(j, { ...filter, offset, limit: 10 });
      assert.equal(p.total, all.length, JSON.stringify(filter));
      assert.deepEqual(
        p.records.map((r) => r.seq),
        all.slice(offset, offset + 10),
        `${JSON.stringify(filter)} at ${offset}`,
      );
    }
  }
});

test("newest returns the last page and says where it starts", async () => {
  const p = await journalPage(j, { kind: "backup.run", newest: true, limit: 10 });
  assert.equal(p.total, N / 3);
  assert.equal(p.offset, N / 3 - 10);
  assert.equal(p.records.at(-1)?.seq, N);
});
