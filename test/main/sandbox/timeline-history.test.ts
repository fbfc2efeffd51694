import assert from "node:assert/strict";
import { test } from "node:test";
import type { BaseBackupRecord } from "../../../src/main/sandbox/sandbox-state.ts";
import {
  backupOnLineage,
  chooseBaseBackup,
  earliestBackup,
  historyFileName,
  parseHistoryFile,
  type LineageStep,
} from "../../../src/main/sandbox/timeline-history.ts";

const bb = (id: string, tli: number, endLsn: string, endTime: string): BaseBackupRecord => ({
  id,
  dir: id,
  tli,
  startLsn: "0/0",
  endLsn,
  endTime,
});

test("timeline history files parse like PostgreSQL writes them", () => {
  const text = "1\t0/800DF8\tbefore 2026-11-23 18:17:39.652842+00\n\n3\t0/A00000\tno recovery target specified\n";
  assert.deepEqual(parseHistoryFile(text), [
    { tli: 1, switchLsn: "0/800DF8" },
    { tli: 3, switchLsn: "0/A00000" },
  ]);
  assert.equal(historyFileName(2), "00000002.history");
  assert.equal(historyFileName(26), "0000001A.history");
  assert.throws(() => parseHistoryFile("garbage"));
});

test("a base backup serves a lineage only if taken on it before the lineage left its timeline", () => {
  // Timeline 4 branched from timeline 1 at 0/800000.
  const lineage: LineageStep[] = [
    { tli: 1, endLsn: "0/800000" },
    { tli: 4, endLsn: null },
  ];
  const early = bb("early", 1, "0/300000", "2026-01-01T10:00:00Z");
  const late = bb("late", 1, "0/900000", "2026-01-01T11:00:00Z"); // after the switch: holds changes timeline 4 never had
  const own = bb("own", 4, "0/A00000", "2026-01-01T12:00:00Z");
  const other = bb("other", 2, "0/400000", "2026-01-01T10:30:00Z");
  assert.ok(backupOnLineage(early, lineage));
  assert.ok(!backupOnLineage(late, lineage));
  assert.ok(backupOnLineage(own, lineage));
  assert.ok(!backupOnLineage(other, lineage));

  const all = [late, own, other, early];
  assert.equal(earliestBackup(all, lineage)?.id, "early");
  // The latest usable one: the least WAL to replay.
  assert.equal(chooseBaseBackup(all, lineage, { kind: "end" })?.id, "own");
  assert.equal(
    chooseBaseBackup(all, lineage, { kind: "time", at: new Date("2026-01-01T11:30:00Z"), literal: "" })?.id,
    "early",
  );
  assert.equal(chooseBaseBackup(all, lineage, { kind: "lsn", lsn: "0/A80000" })?.id, "own");
  assert.equal(
    chooseBaseBackup(all, lineage, { kind: "time", at: new Date("2026-01-01T09:00:00Z"), literal: "" }),
    undefined,
  );
});
