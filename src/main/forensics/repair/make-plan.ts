// Makes a repair plan: the tables (named, plus their foreign-key neighbours), each compared across the states, every
// damaged row written to the plan file, the digest journaled. Nothing is written to any database.
import { LifeboatError, isLifeboatError } from "../../../shared/errors.ts";
import type { ClassCounts, PlanHeader, TablePlan } from "../../../shared/repair-plan.ts";
import { describeConn, type ConnInfo } from "../../postgres/conn-info.ts";
import type { ForensicsContext } from "../forensics-context.ts";
import { chooseRowHash, type RowHashMethod } from "../row-hash.ts";
import { closeSide, openSide, query, sideError, type Side } from "../side.ts";
import { findTable } from "../table-info.ts";
import { auditAttribution, type AuditWindow } from "./audit-attribution.ts";
import { newPlanId, PlanWriter } from "./plan-file.ts";
import { planKeyedTable, planKeylessTable } from "./plan-table.ts";
import { addCounts, damageOf, emptyCounts } from "./row-class.ts";
import { driftWarnings, lineUpStates, type StateSides, type StateTable } from "./state-tables.ts";
import { dependencyOrder, foreignKeys, tablesToPlan } from "./table-graph.ts";

export interface PlanStates {
  before: ConnInfo;
  /** Absent: a two-state plan (every change is a conflict unless the audit table attributes it). */
  damaged?: ConnInfo;
  production: ConnInfo;
  /** Where each state came from, for the plan (no passwords). */
  sources: { before: string; damaged?: string };
  /** How the face reaches each state again (verify re-runs the comparison); opaque to the engine, never a secret. */
  sourceRefs?: { before: unknown; damaged?: unknown };
  /** When each state was taken, if known (Neon branches): checked to be in order. */
  points?: { before?: string; damaged?: string };
}

export interface PlanOptions {
  tables: string[];
  /** Add every table linked by a foreign key (default true). */
  followForeignKeys?: boolean;
  /** Two-state plans: the incident window the audit table attributes rows to. */
  audit?: AuditWindow;
  plansDir: string;
  pageRows?: number;
  batchRows?: number;
  onProgress?: (p: {
    table: string;
    rows: number;
    estimatedRows: number | null;
    tableIndex: number;
    tables: number;
  }) => void;
}

export interface PlanResult {
  header: PlanHeader;
  path: string;
  digest: string;
  bytes: number;
}

export function checkPointOrder(points: PlanStates["points"]): void {
  const b = points?.before ? Date.parse(points.before) : NaN;
  const d = points?.damaged ? Date.parse(points.damaged) : NaN;
  if (Number.isFinite(b) && Number.isFinite(d) && d <= b)
    throw new LifeboatError(
      "USAGE",
      `the damaged state (${points!.damaged}) is not after the before state (${points!.before})`,
      "Before is the last good second, before the incident began; damaged is right after the incident ended. Swap them or pick them again from the audit bursts.",
      { before: points!.before, damaged: points!.damaged },
    );
}

async function hashMethod(sides: StateSides, t: StateTable): Promise<RowHashMethod> {
  const cols = (s: "before" | "damaged" | "now") => t.compared.map((n) => t[s]!.columns.find((c) => c.name === n)!);
  const a = await chooseRowHash(sides.before, sides.now, cols("before"), cols("now"));
  if (a === "md5" || !sides.damaged) return a;
  return chooseRowHash(sides.damaged, sides.now, cols("damaged"), cols("now"));
}

async function estimate(side: Side, t: StateTable): Promise<number | null> {
  const r = await query<{ n: number }>(side, "SELECT reltuples::float8 AS n FROM pg_catalog.pg_class WHERE oid = $1", [
    t.before.table.oid,
  ]);
  const n = r.rows[0]?.n ?? -1;
  return n >= 0 ? Math.round(n) : null;
}

async function resolveNames(sides: StateSides, names: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of names) {
    const t = (await findTable(sides.now.client, n)) ?? (await findTable(sides.before.client, n));
    if (!t)
      throw new LifeboatError(
        "TABLE_NOT_FOUND",
        `table "${n}" exists neither in production nor in the before state`,
        'Check the spelling and case (PostgreSQL names are case-sensitive: "ClinicalNote", not clinicalnote).',
        { table: n },
      );
    out.push(`${t.schema}.${t.name}`);
  }
  return [...new Set(out)];
}

function tableError(e: unknown): TablePlan["error"] {
  if (isLifeboatError(e)) return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  throw e;
}

async function runPlan(sides: StateSides, states: PlanStates, opts: PlanOptions, planId: string): Promise<PlanResult> {
  const named = await resolveNames(sides, opts.tables);
  const fks = await foreignKeys([sides.before, sides.now]);
  const planned =
    opts.followForeignKeys === false ? named.map((table) => ({ table, reason: "named" })) : tablesToPlan(named, fks);
  const { order, cycle } = dependencyOrder(
    planned.map((p) => p.table),
    fks,
  );
  const attributed = !sides.damaged && opts.audit ? await auditAttribution(sides.now, opts.audit) : undefined;
  const writer = await PlanWriter.create(opts.plansDir, planId);
  try {
    const tables: TablePlan[] = [];
    const totals: ClassCounts = emptyCounts();
    for (const [i, name] of order.entries()) {
      const reason = planned.find((p) => p.table === name)!.reason;
      const base = { table: name, reason, order: i + 1 };
      let t: StateTable;
      try {
        t = await lineUpStates(sides, name);
      } catch (e) {
        tables.push(emptyTable(base, tableError(e)!));
        continue;
      }
      const method = await hashMethod(sides, t);
      const est = await estimate(sides.before, t);
      const progress = opts.onProgress;
      const topts = {
        pageRows: opts.pageRows ?? 10_000,
        batchRows: opts.batchRows ?? 1000,
        add: (e: Parameters<PlanWriter["add"]>[0]) => writer.add(e),
        ...(attributed ? { attributed: (k: readonly string[]) => attributed(t.name, t.before.table.name, k) } : {}),
        ...(progress
          ? {
              onProgress: (r: { before: number; now: number }) =>
                progress({
                  table: name,
                  rows: Math.max(r.before, r.now),
                  estimatedRows: est,
                  tableIndex: i,
                  tables: order.length,
                }),
            }
          : {}),
      };
      const r = t.key.length
        ? await planKeyedTable(sides, t, method, topts)
        : await planKeylessTable(sides, t, method, topts);
      addCounts(totals, r.counts);
      tables.push({
        ...base,
        mode: t.key.length ? "primary-key" : "full-row",
        primaryKey: t.key,
        rowHash: r.rowHash,
        counts: r.counts,
        rows: { before: r.rows.before, damaged: sides.damaged ? r.rows.damaged : null, now: r.rows.now },
        comparedColumns: t.compared,
        drift: t.drift,
        triggers: t.triggers,
        warnings: driftWarnings(t),
      });
    }
    const warnings: string[] = [];
    if (!sides.damaged)
      warnings.push(
        opts.audit
          ? `two states only (before and now): a changed row is a conflict unless the audit table attributes it to ${opts.audit.from.toISOString()} – ${opts.audit.to.toISOString()}`
          : "two states only (before and now) and no audit window: every changed or deleted row is a conflict that needs a decision; give the damaged state (a branch right after the incident) to tell the incident's writes from later ones",
      );
    if (cycle.length)
      warnings.push(`foreign keys form a cycle among ${cycle.join(", ")}: they are applied in the order listed`);
    for (const t of tables) if (t.error) warnings.push(`${t.table} was not planned: ${t.error.message}`);
    const header: PlanHeader = {
      planId,
      createdAt: new Date().toISOString(),
      states: sides.damaged ? "three" : "two",
      production: describeConn(states.production),
      sources: states.sources,
      ...(states.points ? { points: states.points } : {}),
      ...(states.sourceRefs ? { sourceRefs: states.sourceRefs } : {}),
      ...(attributed && opts.audit
        ? {
            audit: {
              from: opts.audit.from.toISOString(),
              to: opts.audit.to.toISOString(),
              ...(opts.audit.auditTable ? { auditTable: opts.audit.auditTable } : {}),
            },
          }
        : {}),
      tables,
      totals,
      entries: writer.count,
      warnings,
    };
    return { header, ...(await writer.finish(header)) };
  } catch (e) {
    await writer.discard();
    throw e;
  }
}

function emptyTable(
  base: { table: string; reason: string; order: number },
  error: NonNullable<TablePlan["error"]>,
): TablePlan {
  return {
    ...base,
    mode: "primary-key",
    primaryKey: [],
    counts: emptyCounts(),
    rows: { before: 0, damaged: null, now: 0 },
    comparedColumns: [],
    drift: { droppedSinceBefore: [], addedSinceBefore: [], typeChanged: [], generated: [] },
    triggers: [],
    warnings: [],
    error,
  };
}

/** Opens every state read-only in one snapshot each; closes them whatever happens. */
export async function withStates<T>(
  states: Pick<PlanStates, "before" | "damaged" | "production">,
  fn: (s: StateSides) => Promise<T>,
  doing: string,
): Promise<T> {
  const opened = await Promise.allSettled([
    openSide("before state", states.before, "snapshot"),
    states.damaged ? openSide("damaged state", states.damaged, "snapshot") : Promise.resolve(undefined),
    openSide("production", states.production, "snapshot"),
  ]);
  const [b, d, n] = opened.map((o) => (o.status === "fulfilled" ? o.value : undefined));
  try {
    for (const o of opened) if (o.status === "rejected") throw o.reason;
    return await fn({ before: b!, ...(d ? { damaged: d } : {}), now: n! });
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw sideError({ name: "production", conn: states.production }, err, doing);
  } finally {
    await Promise.all([closeSide(b), closeSide(d), closeSide(n)]);
  }
}

/** Compares the tables across the states and writes the plan file; journaled with its digest. */
export async function makeRepairPlan(
  states: PlanStates,
  opts: PlanOptions,
  ctx: ForensicsContext,
): Promise<PlanResult> {
  checkPointOrder(states.points);
  if (opts.tables.length === 0)
    throw new LifeboatError(
      "USAGE",
      "no tables to plan",
      "Name the tables the incident touched (the audit bursts list them).",
    );
  const planId = newPlanId();
  return ctx.journal.step(
    {
      kind: "forensics.plan",
      summary: `Repair plan ${planId} for ${opts.tables.join(", ")}: ${states.damaged ? "three" : "two"} states, production ${describeConn(states.production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        planId,
        tables: opts.tables,
        states: states.damaged ? 3 : 2,
        sources: states.sources,
        ...(states.points ? { points: states.points } : {}),
      },
    },
    () => withStates(states, (s) => runPlan(s, states, opts, planId), "plan the repair"),
    (r) => ({
      digest: r.digest,
      entries: r.header.entries,
      damage: damageOf(r.header.totals),
      totals: r.header.totals,
      perTable: Object.fromEntries(r.header.tables.map((t) => [t.table, t.error ? t.error.code : damageOf(t.counts)])),
    }),
  );
}
