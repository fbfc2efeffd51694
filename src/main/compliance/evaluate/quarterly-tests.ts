// Quarterly DR tests: in every calendar quarter (UTC) of the period, a full restore drill that passed, with its RTO
// (the drill's measured restore time) and its RPO (how old the restored backup was when the drill began: the data a
// real outage at that moment would have lost) against the profile's targets. A quarter the period only partly covers,
// or that has not ended, is shown but does not fail the control for want of a drill.
import { formatDuration, formatTime } from "../../../shared/format.ts";
import type { EvidenceIndex, Period } from "./evidence-index.ts";
import { factTable, plural, result, worst, type ItemResult } from "./item-result.ts";
import { backupTimeMs, restoreTests, type RestoreTest } from "./restore-tests.ts";
import type { Verdict } from "../../../shared/compliance/compliance-report.ts";

export interface Quarter {
  label: string;
  fromMs: number;
  toMs: number;
  /** The period covers the whole quarter and it has ended. */
  whole: boolean;
}

export function quartersOf(period: Period): Quarter[] {
  const out: Quarter[] = [];
  const d = new Date(period.fromMs);
  let y = d.getUTCFullYear();
  let q = Math.floor(d.getUTCMonth() / 3);
  for (;;) {
    const fromMs = Date.UTC(y, q * 3, 1);
    if (fromMs > period.toMs) break;
    const toMs = Date.UTC(y, q * 3 + 3, 1) - 1;
    out.push({ label: `${y} Q${q + 1}`, fromMs, toMs, whole: fromMs >= period.fromMs && toMs <= period.toMs });
    if (++q === 4) {
      q = 0;
      y++;
    }
  }
  return out;
}

interface Judged {
  test: RestoreTest;
  rpoMs: number;
  rtoOk: boolean;
  rpoOk: boolean;
}

export function quarterlyTests(ix: EvidenceIndex, profile: string, period: Period): ItemResult {
  const t = ix.targets(profile);
  const drills: Judged[] = restoreTests(ix, profile, period, ["drill.restore"]).map((test) => {
    const rpoMs = test.startedMs - backupTimeMs(ix, profile, test.backupId);
    return {
      test,
      rpoMs,
      rtoOk: test.restoreMs !== undefined && test.restoreMs <= t.rtoMinutes * 60_000,
      rpoOk: Number.isFinite(rpoMs) && rpoMs <= t.rpoMinutes * 60_000,
    };
  });
  const rows: string[][] = [];
  const verdicts: Verdict[] = [];
  const findings: string[] = [];
  for (const q of quartersOf(period)) {
    const inQ = drills.filter(
      (d) => d.test.startedMs >= Math.max(q.fromMs, period.fromMs) && d.test.startedMs <= Math.min(q.toMs, period.toMs),
    );
    const good = inQ.find((d) => d.test.pass && d.rtoOk && d.rpoOk);
    const shown = good ?? inQ.at(-1);
    let status: string;
    if (good) {
      status = "PASS";
      verdicts.push("PASS");
    } else if (inQ.length) {
      const d = inQ.at(-1)!;
      const why = !d.test.pass
        ? `the drill failed${d.test.why ? `: ${d.test.why}` : ""}`
        : !d.rtoOk
          ? `RTO ${d.test.restoreMs !== undefined ? formatDuration(d.test.restoreMs) : "unknown"} over the ${formatDuration(t.rtoMinutes * 60_000)} target`
          : `RPO ${Number.isFinite(d.rpoMs) ? formatDuration(d.rpoMs) : "unknown"} over the ${formatDuration(t.rpoMinutes * 60_000)} target`;
      status = `FAIL: ${why}`;
      verdicts.push("FAIL");
      findings.push(`${q.label}: ${plural(inQ.length, "drill")}, none passed within the targets (${why}).`);
    } else if (q.whole) {
      status = "NOT EVIDENCED: no drill";
      verdicts.push("NOT_EVIDENCED");
      findings.push(`${q.label}: no DR drill was recorded.`);
    } else {
      status = q.toMs > period.toMs ? "in progress, no drill yet" : "partly before the period, no drill in it";
    }
    rows.push([
      q.label,
      status,
      shown ? formatTime(shown.test.startedMs) : "—",
      shown?.test.backupId ?? "—",
      shown?.test.restoreMs !== undefined ? formatDuration(shown.test.restoreMs) : "—",
      formatDuration(t.rtoMinutes * 60_000),
      shown && Number.isFinite(shown.rpoMs) ? formatDuration(shown.rpoMs) : "—",
      formatDuration(t.rpoMinutes * 60_000),
      shown ? `#${shown.test.record.ref.seq}` : "—",
    ]);
  }
  const tables = [
    factTable(
      "DR drills per quarter",
      ["Quarter", "Verdict", "Drill", "Backup", "RTO", "RTO target", "RPO", "RPO target", "Record"],
      rows,
    ),
  ];
  const evidence = drills.map((d) => d.test.record.ref);
  const judged = verdicts.length;
  if (!judged)
    return result("NOT_EVIDENCED", "No whole quarter in the period, and no drill in the parts of quarters it covers.", {
      findings,
      tables,
      evidence,
    });
  const v = worst(verdicts);
  const passed = verdicts.filter((x) => x === "PASS").length;
  return result(
    v,
    v === "PASS"
      ? `Every quarter of the period has a passed DR drill within RTO ${formatDuration(t.rtoMinutes * 60_000)} and RPO ${formatDuration(t.rpoMinutes * 60_000)} (${plural(passed, "quarter")}).`
      : `${passed} of ${plural(judged, "quarter")} with a passed DR drill within the targets.`,
    { findings, tables, evidence },
  );
}
