import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { compareLsn } from "./lsn.ts";
import type { BaseBackupRecord } from "./sandbox-state.ts";

// Every branch of the sandbox is a PostgreSQL timeline in one shared WAL archive. A point-in-time recovery of a branch
// replays from a base backup along the branch's lineage: its ancestor timelines up to the points where each was left
// (recorded in the timeline history files PostgreSQL archives at each promotion), then its own timeline.

export interface LineageStep {
  tli: number;
  /** Where the lineage leaves this timeline for the next; null on the branch's own (last) timeline. */
  endLsn: string | null;
}

export function historyFileName(tli: number): string {
  return `${tli.toString(16).toUpperCase().padStart(8, "0")}.history`;
}

/** Lines of a timeline history file: "<parent tli>\t<switch point>\t<reason>"; comments and blanks skipped. */
export function parseHistoryFile(text: string): { tli: number; switchLsn: string }[] {
  const out: { tli: number; switchLsn: string }[] = [];
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const [tli, lsn] = trimmed.split(/\s+/);
    if (!tli || !lsn || !/^\d+$/.test(tli)) throw new Error(`unreadable timeline history line: ${trimmed}`);
    out.push({ tli: Number(tli), switchLsn: lsn });
  }
  return out;
}

export async function lineageOf(archiveDir: string, tli: number): Promise<LineageStep[]> {
  if (tli === 1) return [{ tli: 1, endLsn: null }];
  const history = parseHistoryFile(await readFile(join(archiveDir, historyFileName(tli)), "utf8"));
  return [...history.map((h) => ({ tli: h.tli, endLsn: h.switchLsn })), { tli, endLsn: null }];
}

/** The switch point at which `tli` began: the last line of its history file. */
export async function timelineStartLsn(archiveDir: string, tli: number): Promise<string | null> {
  const lineage = await lineageOf(archiveDir, tli);
  return lineage.length > 1 ? (lineage[lineage.length - 2]?.endLsn ?? null) : null;
}

/** A base backup can start a replay along the lineage if it was taken on one of its timelines before the lineage left it. */
export function backupOnLineage(bb: BaseBackupRecord, lineage: LineageStep[]): boolean {
  const step = lineage.find((s) => s.tli === bb.tli);
  return !!step && (step.endLsn === null || compareLsn(bb.endLsn, step.endLsn) <= 0);
}

export type RecoveryTarget =
  { kind: "time"; at: Date; literal: string } | { kind: "lsn"; lsn: string } | { kind: "end" };

/** The latest base backup from which the target can be reached (the least WAL to replay), if any. */
export function chooseBaseBackup(
  backups: BaseBackupRecord[],
  lineage: LineageStep[],
  target: RecoveryTarget,
): BaseBackupRecord | undefined {
  const usable = backups.filter((bb) => {
    if (!backupOnLineage(bb, lineage)) return false;
    if (target.kind === "time") return new Date(bb.endTime).getTime() <= target.at.getTime();
    if (target.kind === "lsn") return compareLsn(bb.endLsn, target.lsn) <= 0;
    return true;
  });
  return usable.sort((a, b) => compareLsn(b.endLsn, a.endLsn))[0];
}

/** The earliest base backup on the lineage: nothing before its end can be restored. */
export function earliestBackup(backups: BaseBackupRecord[], lineage: LineageStep[]): BaseBackupRecord | undefined {
  return backups.filter((bb) => backupOnLineage(bb, lineage)).sort((a, b) => compareLsn(a.endLsn, b.endLsn))[0];
}
