import assert from "node:assert/strict";
import { test } from "node:test";
import { BACKUP_ID, idTime, newBackupId } from "../../../src/main/backup/backup-layout.ts";

test("backup ids made in the same second sort in the order the backups started", () => {
  const base = Date.parse("2026-12-07T23:41:05.000Z");
  const times = [0, 1, 9, 10, 255, 256, 500, 998, 999];
  for (let round = 0; round < 50; round++) {
    const ids = times.map((ms) => newBackupId(new Date(base + ms)));
    for (const id of ids) {
      assert.match(id, BACKUP_ID);
      assert.equal(idTime(id), base, `${id} is read back to its second`);
    }
    assert.deepEqual([...ids].sort(), ids, "sorting the ids gives the start order");
  }
});

test("the next second sorts after every id of the second before it", () => {
  const last = newBackupId(new Date("2026-12-07T23:41:05.999Z"));
  const next = newBackupId(new Date("2026-12-07T23:41:06.000Z"));
  assert.ok(last < next, `${last} < ${next}`);
});

test("ids of older versions (four random hex digits) are still backup ids", () => {
  assert.match("20261123T174658Z-3f9a", BACKUP_ID);
  assert.equal(idTime("20261123T174658Z-3f9a"), Date.parse("2026-11-23T17:46:58Z"));
});
