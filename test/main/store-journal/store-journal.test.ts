import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import { copyJournalRange, journalIdOf } from "../../../src/main/store-journal/copy-journal-range.ts";
import { stateKeys } from "../../../src/main/store-journal/state-keys.ts";
import { verifyStoreJournal } from "../../../src/main/store-journal/verify-store-journal.ts";
import { FolderStore } from "../../../src/main/storage/folder-store.ts";

let dir: string;
let journal: OpenJournal;
let store: FolderStore;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "lifeboat-store-journal-"));
  journal = await openJournal({ dir: join(dir, "journal") });
  store = new FolderStore(join(dir, "store"));
  await mkdir(join(dir, "store"));
  for (let i = 1; i <= 12; i++) await journal.append({ kind: "test.step", summary: `step ${i}`, profile: "clinic" });
});
after(async () => {
  await journal.close();
  await rm(dir, { recursive: true, force: true });
});

test("a copied range is byte for byte the local journal's lines, and verifies", async () => {
  const a = await copyJournalRange(store, "clinic", journal, 1, 4);
  const b = await copyJournalRange(store, "clinic", journal, 5, 7);
  const local: string[] = [];
  for await (const l of journal.lines({ fromSeq: 1, toSeq: 4 })) local.push(l.line);
  assert.equal((await store.getSmall(a.key)).toString("utf8"), local.join("\n") + "\n");
  assert.equal(a.journalId, await journalIdOf(journal));
  assert.equal(b.lastHash, (await journal.get(7))!.hash);
  assert.ok(a.key.startsWith("_lifeboat/clinic/journal/"), a.key);
  const r = await verifyStoreJournal(store, "clinic");
  assert.deepEqual(
    { ok: r.ok, chunks: r.chunks, records: r.records, links: r.links, gaps: r.gaps },
    { ok: true, chunks: 2, records: 7, links: 1, gaps: [] },
  );
});

test("records never copied are a gap, not a problem", async () => {
  await copyJournalRange(store, "gaps", journal, 2, 3);
  await copyJournalRange(store, "gaps", journal, 9, 10);
  const r = await verifyStoreJournal(store, "gaps");
  assert.equal(r.ok, true);
  assert.deepEqual(
    r.gaps.map((g) => [g.fromSeq, g.toSeq]),
    [[4, 8]],
  );
});

test("an edited record, a broken link and a renamed chunk are each named", async () => {
  const a = await copyJournalRange(store, "tamper", journal, 1, 3);
  const b = await copyJournalRange(store, "tamper", journal, 4, 6);
  const path = (key: string) => join(dir, "store", ...key.split("/"));
  const text = await readFile(path(a.key), "utf8");
  await writeFile(path(a.key), text.replace('"summary":"step 2"', '"summary":"step 9"'));
  let r = await verifyStoreJournal(store, "tamper");
  assert.equal(r.ok, false);
  assert.deepEqual(
    r.problems.map((p) => [p.kind, p.seq]),
    [["edited", 2]],
  );
  await writeFile(path(a.key), text);
  // A whole chunk replaced by a re-hashed copy of other records: the link to it breaks.
  const other = await copyJournalRange(store, "elsewhere", journal, 8, 10);
  await writeFile(path(b.key), await readFile(path(other.key)));
  r = await verifyStoreJournal(store, "tamper");
  assert.ok(
    r.problems.some((p) => p.kind === "missing" && /named for #4-#6 but holds #8-#10/.test(p.message)),
    JSON.stringify(r.problems),
  );
});

test("a range the local journal does not hold is refused, nothing is written", async () => {
  await assert.rejects(copyJournalRange(store, "ahead", journal, 10, 40), /ends at #12, before #40/);
  assert.deepEqual(await store.list(stateKeys.root("ahead")), []);
});
