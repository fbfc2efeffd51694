// What counts as a backup test: a deep verify (restored into a throwaway database, every count proven) or a Neon drill
// (the seed's weekly test). Plain verifies do not restore anything, so they are not restore tests.
import type { BackupTestOutcome, RestoreTestRate } from "../../shared/api/channels/dashboard-channels.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";

export const TEST_KINDS = ["verify.deep", "drill."] as const;

export function isBackupTest(kind: string): boolean {
  return TEST_KINDS.some((k) => (k.endsWith(".") ? kind.startsWith(k) : kind === k));
}

/** Finished tests only (a "started" record is not an outcome), oldest first. */
export function testOutcomes(records: JournalRecord[]): BackupTestOutcome[] {
  return records
    .filter((r) => isBackupTest(r.kind) && r.outcome !== "started" && r.outcome !== "info")
    .sort((a, b) => a.seq - b.seq)
    .map((r) => ({
      kind: r.kind,
      ts: r.ts,
      ok: r.outcome === "ok" && r.details.pass !== false,
      seq: r.seq,
      summary: r.summary,
    }));
}

/** Share of tests in the last `windowDays` that passed; null when none ran (unknown is not 100%). */
export function restoreTestRate(outcomes: BackupTestOutcome[], now: Date, windowDays: number): RestoreTestRate {
  const from = now.getTime() - windowDays * 86_400_000;
  const recent = outcomes.filter((o) => Date.parse(o.ts) >= from);
  const passed = recent.filter((o) => o.ok).length;
  return { total: recent.length, passed, rate: recent.length ? passed / recent.length : null, windowDays };
}
