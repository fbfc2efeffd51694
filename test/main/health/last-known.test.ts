// Unknown is not none: with the store, the database or Neon unreachable, the dashboard's last known state comes from
// this machine's journal, and only for the part that is unreachable.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { lastKnown } from "../../../src/main/health/last-known.ts";
import { openJournal } from "../../../src/main/journal/journal.ts";
import { tempJournalDir } from "../journal/journal-test-dir.ts";

const t = tempJournalDir();
after(t.cleanup);

describe("last known state from the journal", () => {
  test("the newest successful backup, database contact and Neon answer of the profile", async () => {
    const j = await openJournal({ dir: t.dir });
    const none = await lastKnown(j, "clinic", { storage: true, database: true, neon: true });
    assert.deepEqual(none, {}, "an empty journal knows nothing (and says nothing)");
    await j.step(
      { kind: "backup.run", summary: "Backup of clinic", profile: "clinic" },
      async () => undefined,
      () => ({ id: "20260120T020000Z-ab12", bytes: 4096 }),
    );
    await j.append({ kind: "backup.run", summary: "Backup of clinic", profile: "clinic", outcome: "failed" });
    await j.append({ kind: "backup.run", summary: "Backup of other", profile: "other", outcome: "ok" });
    await j.append({ kind: "drill.neon", summary: "Neon drill", profile: "clinic", outcome: "ok" });
    const k = await lastKnown(j, "clinic", { storage: true, database: true, neon: true });
    assert.equal(k.backup?.id, "20260120T020000Z-ab12");
    assert.equal(k.backup?.bytes, 4096);
    assert.equal(k.backup?.seq, 2, "the ok record, not the later failure nor another profile's");
    assert.equal(k.database?.kind, "backup.run");
    assert.equal(k.neon?.kind, "drill.neon");
    const partial = await lastKnown(j, "clinic", { storage: false, database: false, neon: true });
    assert.deepEqual(Object.keys(partial), ["neon"], "only what is unreachable is looked up");
    await j.close();
  });
});
