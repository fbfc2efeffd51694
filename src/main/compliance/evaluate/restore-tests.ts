// Restore tests as the journal records them: deep verifies (a backup restored into a throwaway database, every count
// proven), DR drills (the latest backup fully restored, each phase timed) and Neon tests (a branch back in time,
// counted). What each proved, how long the restore took, and that time against the targets.
import { formatDuration, formatTime } from "../../../shared/format.ts";
import { RESTORE_TIME_TARGETS_MINUTES } from "../../../shared/compliance/controls.ts";
import type { EvidenceIndex, EvRecord, Period } from "./evidence-index.ts";
import { idTimeMs } from "./item-result.ts";

export const RESTORE_TEST_KINDS = {
  "verify.deep": "deep verify",
  "drill.restore": "DR drill",
  "drill.neon": "Neon test",
};
type TestKind = keyof typeof RESTORE_TEST_KINDS;

export interface RestoreTest {
  record: EvRecord;
  kind: TestKind;
  pass: boolean;
  backupId: string | undefined;
  startedMs: number;
  /** The restore's own time: a drill's measured RTO, otherwise the whole operation's duration. */
  restoreMs: number | undefined;
  phases: { name: string; durationMs: number }[];
  why: string | undefined;
}

function testOf(r: EvRecord): RestoreTest {
  const d = r.details as {
    pass?: boolean;
    id?: string;
    backupId?: string;
    rtoMs?: number;
    phases?: { name: string; durationMs: number }[];
    error?: { message?: string };
    failures?: string[];
  };
  const kind = r.kind as TestKind;
  const pass = r.outcome === "ok" && d.pass !== false;
  const duration = typeof r.durationMs === "number" ? r.durationMs : undefined;
  return {
    record: r,
    kind,
    pass,
    backupId: d.backupId ?? d.id,
    startedMs: Date.parse(r.ts) - (duration ?? 0),
    restoreMs: typeof d.rtoMs === "number" ? d.rtoMs : duration,
    phases: Array.isArray(d.phases) ? d.phases.filter((p) => typeof p?.durationMs === "number") : [],
    why: pass ? undefined : (d.error?.message ?? (d.failures?.length ? d.failures.join("; ") : r.summary)),
  };
}

export function restoreTests(
  ix: EvidenceIndex,
  profile: string,
  period: Period,
  kinds = Object.keys(RESTORE_TEST_KINDS),
): RestoreTest[] {
  return kinds
    .flatMap((k) => ix.ended(k, profile))
    .filter((r) => r.outcome !== "info")
    .map(testOf)
    .filter((t) => t.startedMs >= period.fromMs && Date.parse(t.record.ts) <= period.toMs)
    .sort((a, b) => a.startedMs - b.startedMs);
}

/** The recovery point a backup test restored to: the backup's snapshot, taken when the backup started. */
export function backupTimeMs(ix: EvidenceIndex, profile: string, id: string | undefined): number {
  if (!id) return NaN;
  return ix.backups(profile).find((b) => b.m.id === id)?.startedMs ?? idTimeMs(id);
}

export function versus(ms: number | undefined, minutes: number): string {
  if (ms === undefined) return "—";
  return ms <= minutes * 60_000 ? "met" : "MISSED";
}

export function restoreRow(t: RestoreTest): string[] {
  return [
    formatTime(t.startedMs),
    RESTORE_TEST_KINDS[t.kind],
    t.backupId ?? "—",
    t.pass ? "passed" : `FAILED${t.why ? `: ${t.why}` : ""}`,
    t.restoreMs !== undefined ? formatDuration(t.restoreMs) : "—",
    versus(t.restoreMs, RESTORE_TIME_TARGETS_MINUTES.seed),
    versus(t.restoreMs, RESTORE_TIME_TARGETS_MINUTES.hhsProposed),
    t.phases.map((p) => `${p.name} ${formatDuration(p.durationMs)}`).join(" · ") || "—",
    `#${t.record.ref.seq}`,
  ];
}

export const RESTORE_COLUMNS = [
  "Started",
  "Test",
  "Backup",
  "Result",
  "Restore time",
  "≤ 30 min (seed)",
  "≤ 72 h (HHS proposed)",
  "Phases",
  "Record",
];
