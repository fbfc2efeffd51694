// journal.step: an operation whose start cannot be recorded does not run; one that succeeded stays a success when its
// end cannot be recorded, and says what is missing from the journal; a cancel is journaled as "cancelled".
import { test } from "node:test";
import assert from "node:assert/strict";
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import { journalStep, type JournalEntryInput } from "../../../src/main/journal/journal.ts";
import { LifeboatError } from "../../../src/shared/errors.ts";
import { cancelledError } from "../../../src/main/engine/run-scope.ts";

function fakeAppend(failAt: number): {
  append: (e: JournalEntryInput) => Promise<JournalRecord>;
  entries: JournalEntryInput[];
} {
  const entries: JournalEntryInput[] = [];
  return {
    entries,
    append: async (e) => {
      if (entries.length + 1 === failAt)
        throw new LifeboatError("JOURNAL_WRITE_FAILED", "cannot write the journal at /j: the disk is full (ENOSPC)");
      entries.push(e);
      return { seq: entries.length } as JournalRecord;
    },
  };
}

test("the start cannot be recorded: the operation does not run", async () => {
  const j = fakeAppend(1);
  let ran = false;
  await assert.rejects(
    journalStep(j.append, { kind: "backup.run", summary: "b" }, async () => void (ran = true)),
    /ENOSPC/,
  );
  assert.equal(ran, false);
});

test("the end cannot be recorded: the result is still the success, with a warning naming the open record", async () => {
  const j = fakeAppend(2);
  const r = await journalStep(j.append, { kind: "backup.run", summary: "b" }, async () => ({ id: "b1" }));
  assert.equal((r as { id: string }).id, "b1");
  const warnings = (r as { warnings?: string[] }).warnings ?? [];
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /NOT in the journal: cannot write the journal at \/j: the disk is full \(ENOSPC\)/);
  assert.match(warnings[0]!, /record #1 shows the operation as started only/);
  assert.match(warnings[0]!, /lifeboat doctor --fix/);
});

test("a cancelled operation is journaled as cancelled, with what it left", async () => {
  const j = fakeAppend(0);
  await assert.rejects(
    journalStep(j.append, { kind: "restore.run", summary: "r" }, async () => {
      throw cancelledError("the restore", new Error("x"), "the staging database was dropped");
    }),
    (e: LifeboatError) => e.code === "CANCELLED",
  );
  assert.equal(j.entries[1]!.outcome, "cancelled");
  assert.match(String((j.entries[1]!.details!.error as { message: string }).message), /staging database was dropped/);
});
