// Thin adapters from the repair channels to the repair-plan engine (src/main/forensics/repair): resolve production and
// the states' connections, find the plan file, hand progress through.
import { dirname, join } from "node:path";
import { DatabaseRef } from "../../../shared/api/channels/forensics-channels.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import type { Decision, PlanEntry, PlanHeader } from "../../../shared/repair-plan.ts";
import { resolveConn } from "../../engine/profile-runtime.ts";
import { databaseConn } from "../../forensics/database-ref.ts";
import { applyRepairPlan } from "../../forensics/repair/apply-plan.ts";
import { decisionKey, decisionsForAll, loadDecisions, recordDecisions } from "../../forensics/repair/decisions.ts";
import { makeRepairPlan, type PlanOptions } from "../../forensics/repair/make-plan.ts";
import { journaledPlanDigest, planAppliedAt } from "../../forensics/repair/plan-digest.ts";
import { exportPlan } from "../../forensics/repair/plan-export.ts";
import { planEntries, planPath, readPlanHeader } from "../../forensics/repair/plan-file.ts";
import { verifyRepair } from "../../forensics/repair/verify-repair.ts";
import { describeConn, type ConnInfo } from "../../postgres/conn-info.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

export type RepairChannels =
  | "forensics.plan"
  | "forensics.planRows"
  | "forensics.decide"
  | "forensics.apply"
  | "forensics.verify"
  | "forensics.exportPlan";

/** Plans live beside the journal and the exports, in the session's own data folder. */
export function plansDir(ctx: HandlerContext): string {
  return join(dirname(ctx.reader().dir), "plans");
}

function describeSource(s: DatabaseRef, conn: ConnInfo): string {
  const where =
    s.kind === "neon-branch" ? `Neon branch ${s.branch}` : s.kind === "profile" ? `profile ${s.profile}` : s.ref;
  return `${where} (${describeConn(conn)})`;
}

async function production(ctx: HandlerContext, name: string | undefined) {
  const engine = ctx.engine();
  const profile = await ctx.profile(name);
  return { engine, profile, conn: await resolveConn(profile.database, engine) };
}

function planProgress(ctx: HandlerContext, phase: string): PlanOptions["onProgress"] {
  const listener = ctx.engine().onProgress;
  if (!listener) return undefined;
  return (p) =>
    listener({
      operation: "forensics",
      phase: `${phase} ${p.table} (${p.tableIndex + 1}/${p.tables})`,
      bytes: 0,
      rows: p.rows,
      ...(p.estimatedRows ? { totalRows: p.estimatedRows } : {}),
    });
}

export const repairHandlers: HandlerGroup<RepairChannels> = {
  "forensics.plan": async (req, ctx) => {
    const prod = await production(ctx, req.profile);
    const conn = (s: DatabaseRef, side: string) => databaseConn(s, side, prod.profile, ctx.profile, prod.engine);
    const before = await conn(req.before, "before state");
    const damaged = req.damaged ? await conn(req.damaged, "damaged state") : undefined;
    const progress = planProgress(ctx, "compare");
    const r = await makeRepairPlan(
      {
        before,
        ...(damaged ? { damaged } : {}),
        production: prod.conn,
        sources: {
          before: describeSource(req.before, before),
          ...(req.damaged && damaged ? { damaged: describeSource(req.damaged, damaged) } : {}),
        },
        sourceRefs: { before: req.before, ...(req.damaged ? { damaged: req.damaged } : {}) },
        ...(req.points ? { points: req.points } : {}),
      },
      {
        tables: req.tables,
        plansDir: plansDir(ctx),
        ...(req.followForeignKeys !== undefined ? { followForeignKeys: req.followForeignKeys } : {}),
        ...(req.audit
          ? {
              audit: {
                from: new Date(req.audit.from),
                to: new Date(req.audit.to),
                ...(req.audit.auditTable ? { auditTable: req.audit.auditTable } : {}),
              },
            }
          : {}),
        ...(progress ? { onProgress: progress } : {}),
      },
      { journal: prod.engine.journal, profile: prod.profile.name },
    );
    return { plan: r.header, digest: r.digest, file: r.path, bytes: r.bytes };
  },
  "forensics.planRows": async ({ planId, decisionsOf, table, class: cls, offset, limit }, ctx) => {
    const dir = plansDir(ctx);
    const path = planPath(dir, planId);
    const plan = await readPlanHeader(path);
    // Each page carries its own rows' decisions, however far into the table it is.
    const decisions = await loadDecisions(dir, decisionsOf ?? planId);
    const rows: { entry: PlanEntry; decision?: Decision }[] = [];
    let total = 0;
    for await (const e of planEntries(path)) {
      if ((table && e.table !== table) || (cls && e.class !== cls)) continue;
      if (total >= offset && rows.length < limit) {
        const d = decisions.get(decisionKey(e.table, e.key));
        rows.push({ entry: e, ...(d ? { decision: d } : {}) });
      }
      total++;
    }
    return { plan, rows, total };
  },
  "forensics.decide": async ({ planId, decisions, all }, ctx) => {
    const dir = plansDir(ctx);
    const list = all ? await decisionsForAll(dir, planId, all.table, all.class, all.choice) : decisions!;
    if (list.length === 0)
      throw new LifeboatError(
        "USAGE",
        "no rows to decide on",
        "The plan lists no damaged rows of that table and class.",
      );
    return recordDecisions(dir, planId, list, { journal: ctx.engine().journal });
  },
  "forensics.apply": async ({ profile, planId, dryRun, confirm, fireTriggers }, ctx) => {
    const prod = await production(ctx, profile);
    const dir = plansDir(ctx);
    const listener = prod.engine.onProgress;
    return applyRepairPlan(
      prod.conn,
      {
        planPath: planPath(dir, planId),
        journaledDigest: await journaledPlanDigest(ctx.reader(), planId),
        appliedAt: await planAppliedAt(ctx.reader(), planId),
        dryRun,
        decisions: await loadDecisions(dir, planId),
        ...(confirm !== undefined ? { confirm } : {}),
        ...(fireTriggers ? { fireTriggers } : {}),
        ...(listener
          ? {
              onProgress: (p) =>
                listener({
                  operation: "forensics",
                  phase: `${dryRun ? "dry run" : "repair"} ${p.table}`,
                  bytes: 0,
                  rows: p.rows,
                  totalRows: p.totalRows,
                }),
            }
          : {}),
      },
      { journal: prod.engine.journal, profile: prod.profile.name },
    );
  },
  "forensics.verify": async ({ profile, planId }, ctx) => {
    const prod = await production(ctx, profile);
    const dir = plansDir(ctx);
    const conn = (s: DatabaseRef, side: string) => databaseConn(s, side, prod.profile, ctx.profile, prod.engine);
    // Resolved from the plan's header only after verifyRepair has checked the file against the journal.
    const statesOf = async (header: PlanHeader) => {
      const refs = header.sourceRefs;
      const before = DatabaseRef.safeParse(refs?.before);
      const damaged = refs?.damaged === undefined ? undefined : DatabaseRef.safeParse(refs.damaged);
      if (!before.success || (damaged && !damaged.success))
        throw new LifeboatError(
          "PLAN_INVALID",
          `plan ${planId} does not say where its before and damaged states came from`,
          "Make the plan again through Lifeboat (forensics plan), then verify that plan.",
        );
      const damagedConn = damaged?.success ? await conn(damaged.data, "damaged state") : undefined;
      return {
        before: await conn(before.data, "before state"),
        ...(damagedConn ? { damaged: damagedConn } : {}),
        production: prod.conn,
        sources: header.sources,
        ...(header.sourceRefs ? { sourceRefs: header.sourceRefs } : {}),
      };
    };
    const progress = planProgress(ctx, "verify");
    return verifyRepair(
      statesOf,
      {
        planPath: planPath(dir, planId),
        journaledDigest: await journaledPlanDigest(ctx.reader(), planId),
        plansDir: dir,
        decisions: await loadDecisions(dir, planId),
        ...(progress ? { onProgress: progress } : {}),
      },
      { journal: prod.engine.journal, profile: prod.profile.name },
    );
  },
  "forensics.exportPlan": async ({ planId, format }, ctx) =>
    exportPlan(planPath(plansDir(ctx), planId), format, join(ctx.exportsDir(), `${planId}.${format}`), {
      journal: ctx.engine().journal,
    }),
};
