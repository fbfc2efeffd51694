// The truth after a repair: the same comparison again (before, damaged, production as it is now) over the plan's
// tables. Every row still damaged counts, per table, unless the operator recorded a decision to leave it so.
import type { PlanHeader, TableRemaining } from "../../../shared/repair-plan.ts";
import type { ForensicsContext } from "../forensics-context.ts";
import { decisionKey, type Decisions } from "./decisions.ts";
import { makeRepairPlan, type PlanStates } from "./make-plan.ts";
import { checkedPlanDigest, planIdOf } from "./plan-digest.ts";
import { planEntries, readPlanHeader } from "./plan-file.ts";

export interface VerifyOptions {
  planPath: string;
  /** The digest journaled when the plan was made (journaledPlanDigest); null when the journal has none. */
  journaledDigest: string | null;
  plansDir: string;
  decisions: Decisions;
  pageRows?: number;
  onProgress?: Parameters<typeof makeRepairPlan>[1]["onProgress"];
}

export interface VerifyResult {
  planId: string;
  /** The comparison made now: its own plan, to drill into what remains. */
  verifyPlanId: string;
  tables: TableRemaining[];
  undecided: number;
  decided: number;
  /** True only when no damaged row is left without a recorded decision, and every table was compared. */
  green: boolean;
}

const LEAVES_AS_IS = new Set(["keep-now", "keep", "per-column"]);

/** Counts what the fresh comparison still finds, table by table. */
export async function remainingDamage(
  path: string,
  header: PlanHeader,
  decisions: Decisions,
): Promise<TableRemaining[]> {
  const out = new Map<string, TableRemaining>(
    header.tables.map((t) => [
      t.table,
      {
        table: t.table,
        undecided: 0,
        decided: 0,
        byClass: { reinsert: 0, restore: 0, conflict: 0, inserted: 0 },
        ...(t.error ? { error: t.error.message } : {}),
      },
    ]),
  );
  for await (const e of planEntries(path)) {
    const r = out.get(e.table)!;
    r.byClass[e.class]++;
    // A decision to leave the row as it is (or a per-column mix) explains what remains; "take before" does not.
    const d = decisions.get(decisionKey(e.table, e.key));
    if (d && LEAVES_AS_IS.has(d.choice)) r.decided++;
    else r.undecided++;
  }
  return [...out.values()];
}

/** Where the states are: given, or found from the plan's header (after its digest is checked). */
export type StatesOf = PlanStates | ((header: PlanHeader) => Promise<PlanStates>);

export async function verifyRepair(statesOf: StatesOf, o: VerifyOptions, ctx: ForensicsContext): Promise<VerifyResult> {
  const planId = planIdOf(o.planPath);
  return ctx.journal.step(
    {
      kind: "forensics.verify",
      summary: `Verify repair plan ${planId}: compare its tables again in production`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: { planId },
    },
    async () => {
      // The tables to compare, where the states are and the audit window all come from the file: only as it was made.
      await checkedPlanDigest(o.planPath, o.journaledDigest);
      const original = await readPlanHeader(o.planPath);
      const states = typeof statesOf === "function" ? await statesOf(original) : statesOf;
      const tables = original.tables.map((t) => t.table);
      // Journaled as its own forensics.plan too: the record of what the comparison saw. A two-state plan is compared
      // with the audit window it was made with, so the rows it attributed to the incident are not conflicts now.
      const again = await makeRepairPlan(
        states,
        {
          tables,
          followForeignKeys: false,
          plansDir: o.plansDir,
          ...(original.audit
            ? {
                audit: {
                  from: new Date(original.audit.from),
                  to: new Date(original.audit.to),
                  ...(original.audit.auditTable ? { auditTable: original.audit.auditTable } : {}),
                },
              }
            : {}),
          ...(o.pageRows ? { pageRows: o.pageRows } : {}),
          ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        },
        ctx,
      );
      const remaining = await remainingDamage(again.path, again.header, o.decisions);
      const undecided = remaining.reduce((a, t) => a + t.undecided, 0);
      const decided = remaining.reduce((a, t) => a + t.decided, 0);
      return {
        planId: original.planId,
        verifyPlanId: again.header.planId,
        tables: remaining,
        undecided,
        decided,
        green: undecided === 0 && remaining.every((t) => !t.error),
      };
    },
    (r) => ({
      tables: r.tables.map((t) => t.table),
      verifyPlanId: r.verifyPlanId,
      undecided: r.undecided,
      decided: r.decided,
      green: r.green,
      remaining: Object.fromEntries(r.tables.map((t) => [t.table, t.error ? `not compared: ${t.error}` : t.undecided])),
    }),
  );
}
