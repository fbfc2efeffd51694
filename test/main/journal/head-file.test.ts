// The head file exists before the first record is written, so the crash window between the first records' fsync and
// the first head update leaves a head that lags (like any head), not a missing one; a deleted head is still reported.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { HeadWriter, readHead } from "../../../src/main/journal/head-file.ts";
import { HEAD_FILE } from "../../../src/main/journal/journal-paths.ts";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { verifyJournal } from "../../../src/main/journal/verify-journal.ts";
import { tempJournalDir } from "./journal-test-dir.ts";

const t = tempJournalDir();
after(t.cleanup);

test("a new head file names no record, and is whole from the start", () => {
  const dir = join(t.dir, "fresh");
  mkdirSync(dir, { recursive: true });
  const w = new HeadWriter(dir);
  w.close();
  assert.deepEqual(readHead(dir), { state: "empty" });
});

test("records with a head that was never updated (the crash window) verify; records with no head file do not", async () => {
  const dir = join(t.dir, "journal");
  const j = await openJournal({ dir });
  for (let i = 0; i < 3; i++) await j.append({ kind: "operator.note", summary: `note ${i}` });
  await j.close();
  assert.equal(readHead(dir).state, "ok");

  // Put back the head as it was before the first update: what a SIGKILL right after the first fsync leaves.
  copyFileSync(join(t.dir, "fresh", HEAD_FILE), join(dir, HEAD_FILE));
  const lagging = await verifyJournal(dir);
  assert.equal(lagging.ok, true, JSON.stringify(lagging.problems));

  // The next writer carries on and the head names the newest record again.
  const again = await openJournal({ dir });
  assert.deepEqual(again.warnings, []);
  const r = await again.append({ kind: "operator.note", summary: "after the crash" });
  await again.close();
  const head = readHead(dir);
  assert.equal(head.state === "ok" && head.head.seq, r.seq);

  rmSync(join(dir, HEAD_FILE));
  const missing = await verifyJournal(dir);
  assert.equal(missing.ok, false);
  assert.deepEqual(
    missing.problems.map((p) => p.kind),
    ["anchor-missing"],
  );
});
