// Sentences and table rows shared by the Markdown and HTML reports, so both say the same thing.
import { formatDuration } from "../../shared/format.ts";
import type { IncidentReport } from "../../shared/api/journal-schemas.ts";

function status(met: boolean | undefined): string {
  return met === undefined ? "not measured" : met ? "met" : "missed";
}

export function summaryLines(r: IncidentReport, isIncident: boolean): string[] {
  const out: string[] = [];
  const failed = r.counts.byOutcome.failed ?? 0;
  const refused = r.counts.byOutcome.refused ?? 0;
  if (isIncident) {
    out.push(
      `${r.severity ?? ""} ${r.scenario ?? ""} ${r.drill ? "drill" : "incident"} "${r.title}", ${r.status}.`
        .replace(/\s+/g, " ")
        .trim()
        .replace(/^./, (c) => c.toUpperCase()),
    );
    if (r.rto.achievedMs !== undefined) {
      out.push(
        `Service was restored ${formatDuration(r.rto.achievedMs)} after ${r.rto.fromLabel} (RTO target ${r.targets.rtoMinutes} min: ${status(r.rto.met)}).`,
      );
    } else {
      out.push(
        `Service restoration has not been recorded; ${formatDuration(r.rto.elapsedMs)} had passed since ${r.rto.fromLabel} ${r.status === "closed" ? "when the incident was closed" : "at export time"}.`,
      );
    }
    if (r.rpo.achievedMs !== undefined) {
      out.push(
        `Data-loss window (achieved RPO): ${formatDuration(r.rpo.achievedMs)} (target ${r.targets.rpoMinutes} min: ${status(r.rpo.met)}).`,
      );
    } else {
      out.push("No recovery point was recorded, so the achieved RPO is unknown.");
    }
  }
  out.push(
    `${r.counts.operations} operation${r.counts.operations === 1 ? "" : "s"} ran; ${failed} record${failed === 1 ? "" : "s"} failed and ${refused} ${refused === 1 ? "was" : "were"} refused.`,
  );
  out.push(...repairLines(r));
  if (r.resolution) out.push(`Resolution: ${r.resolution}`);
  return out;
}

/** What the data repair left: said plainly, since "resolved" must never hide damaged rows. */
export function repairLines(r: IncidentReport): string[] {
  const s = r.repair;
  if (!s) return [];
  const out: string[] = [];
  if (s.unverifiedApply)
    out.push(
      `Data repair: plan ${s.unverifiedApply} was applied but never verified; what production holds is unproven.`,
    );
  else if (s.green)
    out.push(
      `Data repair verified (plan ${s.planId ?? "?"}): no damaged row is left unrepaired without a recorded decision.`,
    );
  else if (s.green === false) {
    const left = Object.entries(s.remaining ?? {})
      .filter(([, n]) => n !== 0)
      .map(([t, n]) => `${t}: ${n}`)
      .join(", ");
    out.push(
      `Data repair NOT complete (plan ${s.planId ?? "?"}): ${s.undecided} damaged row(s) left unrepaired with no decision (${left}).`,
    );
  }
  if (s.unrepairedReason) out.push(`Closed with unrepaired damage. Reason given: ${s.unrepairedReason}`);
  return out;
}

export function objectiveRows(r: IncidentReport): string[][] {
  return [
    [
      `RTO (${r.rto.fromLabel} → service restored)`,
      `${r.targets.rtoMinutes} min`,
      r.rto.achievedMs !== undefined
        ? formatDuration(r.rto.achievedMs)
        : `not restored (${formatDuration(r.rto.elapsedMs)} elapsed)`,
      status(r.rto.met),
    ],
    [
      `RPO (recovery point → ${r.rpo.basis === "detection-time" ? "detection" : "corruption"})`,
      `${r.targets.rpoMinutes} min`,
      r.rpo.achievedMs !== undefined ? formatDuration(r.rpo.achievedMs) : "unknown",
      status(r.rpo.met),
    ],
  ];
}
