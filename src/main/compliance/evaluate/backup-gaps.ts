// Gaps between backups: every interval longer than the cadence (times the tolerance) in the period, including the
// stretch from the period's start to the first backup and from the last backup to the period's end.
import type { Period } from "./evidence-index.ts";

export interface Gap {
  fromMs: number;
  toMs: number;
  /** "period start" / "period end" when the gap is bounded by the period, not by a backup. */
  fromLabel?: string;
  toLabel?: string;
}

/** `times` are backup start times (ms), any order; `before` is the newest backup before the period, if any. */
export function findGaps(times: number[], before: number | undefined, period: Period, thresholdMs: number): Gap[] {
  const inside = times.filter((t) => t >= period.fromMs && t <= period.toMs).sort((a, b) => a - b);
  const gaps: Gap[] = [];
  let prev = before ?? period.fromMs;
  let prevLabel: string | undefined = before === undefined ? "period start" : undefined;
  for (const t of inside) {
    if (t - prev > thresholdMs) gaps.push({ fromMs: prev, toMs: t, ...(prevLabel ? { fromLabel: prevLabel } : {}) });
    prev = t;
    prevLabel = undefined;
  }
  if (period.toMs - prev > thresholdMs)
    gaps.push({
      fromMs: prev,
      toMs: period.toMs,
      ...(prevLabel ? { fromLabel: prevLabel } : {}),
      toLabel: "period end",
    });
  return gaps;
}
