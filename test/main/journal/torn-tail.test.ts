// A write cut short (power cut, kill -9 mid-write) leaves a partial last line. These tests make that state exactly and
// check it is set aside as evidence, reported, recorded in the chain, and that nothing committed is touched.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, readdirSync, readFileSync, truncateSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { verifyJournal } from "../../../src/main/journal/verify-journal.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

async function journalWith(n: number): Promise<{ dir: string; segment: string; hashes: string[] }> {
  const t = tempJournalDir();
  cleanups.push(t.cleanup);
  const j = await openJournal({ dir: t.dir });
  const hashes: string[] = [];
  for (let i = 0; i < n; i++) hashes.push((await j.append({ kind: "operator.note", summary: `note ${i}` })).hash);
  await j.close();
  const segment = join(
    t.dir,
    readdirSync(t.dir).find((f) => f.endsWith(".jsonl"))!,
  );
  return { dir: t.dir, segment, hashes };
}

test("a partial last line is moved to a .torn file, reported, recorded, and the chain verifies", async () => {
  const { dir, segment, hashes } = await journalWith(5);
  const partial = '{"v":1,"seq":6,"ts":"2026-01-17T14:30:00.000Z","actor":{"user":"dba","host":"lap';
  appendFileSync(segment, partial);

  const before = await verifyJournal(dir);
  assert.equal(before.ok, true, "a torn tail alone is a crash, not tampering");
  assert.match(before.warnings.join(" "), /interrupted write/);

  const j = await openJournal({ dir });
  assert.deepEqual(
    j.warnings.map((w) => w.code),
    ["torn-tail"],
  );
  const torn = readdirSync(dir).filter((f) => f.includes(".torn-"));
  assert.equal(torn.length, 1);
  assert.equal(readFileSync(join(dir, torn[0]!), "utf8"), partial);
  assert.ok(readFileSync(segment, "utf8").endsWith("}\n"));

  const { records } = await j.query({ limit: 100 });
  assert.deepEqual(
    records.slice(0, 5).map((r) => r.hash),
    hashes,
  );
  const evidence = records[5]!;
  assert.equal(evidence.kind, "journal.torn-tail");
  assert.equal(evidence.details.sha256, createHash("sha256").update(partial).digest("hex"));
  assert.equal(evidence.details.bytes, Buffer.byteLength(partial));
  await j.append({ kind: "operator.note", summary: "after repair" });
  await j.close();
  const v = await verifyJournal(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problems));
  assert.equal(v.records, 7);
});

test("a batch cut mid-record keeps every complete record before the cut", async () => {
  const { dir, segment, hashes } = await journalWith(7);
  // The crash: record #8 reached the file only in part, and the head file (written after fsync) still names #7.
  const head = readFileSync(join(dir, "head.json"));
  const j0 = await openJournal({ dir });
  await j0.append({ kind: "operator.note", summary: "never acknowledged" });
  await j0.close();
  writeFileSync(join(dir, "head.json"), head);
  truncateSync(segment, statSync(segment).size - 40);

  const j = await openJournal({ dir });
  assert.deepEqual(
    j.warnings.map((w) => w.code),
    ["torn-tail"],
  );
  const { records } = await j.query({ limit: 100 });
  assert.deepEqual(
    records.slice(0, 7).map((r) => r.hash),
    hashes,
  );
  assert.equal(records[7]!.kind, "journal.torn-tail");
  await j.close();
  const v = await verifyJournal(dir);
  assert.equal(v.ok, true, JSON.stringify(v.problems));
});

test("cutting a committed record is not mistaken for a crash: the head anchor catches it and the chain records it", async () => {
  const { dir, segment } = await journalWith(8);
  truncateSync(segment, statSync(segment).size - 40);
  const before = await verifyJournal(dir);
  assert.equal(before.ok, false);
  assert.deepEqual(
    before.problems.map((p) => p.kind),
    ["truncated"],
  );
  const j = await openJournal({ dir });
  assert.deepEqual(j.warnings.map((w) => w.code).sort(), ["anchor-mismatch", "torn-tail"]);
  await j.close();
  // The repair moved the anchor on, but the evidence is now part of the chain and keeps verify failing.
  const after = await verifyJournal(dir);
  assert.deepEqual(
    after.problems.map((p) => p.kind),
    ["recorded-tampering"],
  );
});
