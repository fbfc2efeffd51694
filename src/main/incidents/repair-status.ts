// What an incident's journal says about its data repair: the last verify (how many damaged rows were left unrepaired
// without a decision, per table), a repair applied after it and never verified, and the operator's reason for closing
// with damage left. Read by the incident report (the post-mortem) and by close, which refuses to close quietly.
import type { JournalRecord, RepairStatus } from "../../shared/api/journal-schemas.ts";

export class RepairTracker {
  private s: RepairStatus = {};
  private seen = false;

  add(rec: JournalRecord): void {
    const d = rec.details ?? {};
    if (rec.kind === "incident.close" && typeof d.unrepairedReason === "string")
      this.s.unrepairedReason = d.unrepairedReason;
    if (rec.outcome !== "ok") return;
    if (rec.kind === "forensics.verify") {
      this.seen = true;
      this.s = {
        ...(typeof d.planId === "string" ? { planId: d.planId } : {}),
        green: d.green === true,
        undecided: typeof d.undecided === "number" ? d.undecided : 0,
        remaining: (d.remaining as Record<string, number | string>) ?? {},
        verifiedAt: rec.ts,
      };
    } else if (rec.kind === "forensics.apply" && d.dryRun === false) {
      this.seen = true;
      this.s = { ...this.s, unverifiedApply: typeof d.planId === "string" ? d.planId : "a plan" };
    }
  }

  /** Undefined when the incident never applied or verified a repair. */
  status(): RepairStatus | undefined {
    return this.seen ? this.s : undefined;
  }
}

/** Why closing needs a reason, or undefined when the repair (if any) was verified with nothing left undecided. */
export function damageLeft(s: RepairStatus | undefined): string | undefined {
  if (!s) return undefined;
  if (s.unverifiedApply)
    return `repair plan ${s.unverifiedApply} was applied but never verified, so what production holds is unproven`;
  if (s.green === false)
    return `the last verify found ${s.undecided} damaged row(s) unrepaired with no decision (${Object.entries(
      s.remaining ?? {},
    )
      .filter(([, n]) => n !== 0)
      .map(([t, n]) => `${t}: ${n}`)
      .join(", ")})`;
  return undefined;
}
