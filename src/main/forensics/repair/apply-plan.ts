// Applies a repair plan to production in ONE transaction: tables parents first (rows removed children first), each
// batch's rows locked and re-hashed before anything is written (a plan whose "now" moved is refused), decisions
// honoured, undecided conflicts and inserted rows left alone. A dry run runs every statement and rolls back, so its
// counts are exactly what the statements did. Any failure rolls everything back: production is left as it was.
import pg from "pg";
import { LifeboatError } from "../../../shared/errors.ts";
import type { Decision, PlanEntry, PlanHeader, RowValues, TableApply, TablePlan } from "../../../shared/repair-plan.ts";
import { describeConn, type ConnInfo } from "../../postgres/conn-info.ts";
import { redactText } from "../../secrets/redact.ts";
import { advanceSequences } from "../advance-sequences.ts";
import { describeSide } from "../comparison.ts";
import { requireProductionConfirmation } from "../confirm-production.ts";
import type { ForensicsContext } from "../forensics-context.ts";
import { closeSide, openSide, sideError, type Side } from "../side.ts";
import {
  countByHash,
  deleteByKeys,
  deleteOneByHash,
  insertRows,
  lockAndHash,
  prodTable,
  setTriggers,
  updateColumns,
  type ProdTable,
} from "./apply-statements.ts";
import { decisionKey, type Decisions } from "./decisions.ts";
import { checkedPlanDigest, planIdOf } from "./plan-digest.ts";
import { planEntries, readPlanHeader } from "./plan-file.ts";

export interface ApplyOptions {
  planPath: string;
  /** The digest journaled when the plan was made (journaledPlanDigest); null when the journal has none. */
  journaledDigest: string | null;
  /** When this plan was already applied for real (planAppliedAt): a plan is applied once, what is left is re-planned. */
  appliedAt?: string | null;
  dryRun: boolean;
  confirm?: string;
  decisions: Decisions;
  /** Let production's user triggers fire on the repair (default: disabled for the transaction, enabled again). */
  fireTriggers?: boolean;
  batchRows?: number;
  onProgress?: (p: { table: string; rows: number; totalRows: number }) => void;
}

export interface ApplyResult {
  planId: string;
  digest: string;
  dryRun: boolean;
  tables: TableApply[];
  /** Damaged rows left as they are: undecided conflicts and inserted rows, and rows decided "keep". */
  leftAlone: { undecided: number; kept: number };
  durationMs: number;
}

type Action =
  | { kind: "insert"; row: RowValues }
  | { kind: "update"; columns: string[]; row: RowValues }
  | { kind: "delete" }
  | { kind: "none"; decided: boolean };

function withKey(t: ProdTable, e: PlanEntry, values: RowValues, columns: readonly string[]): RowValues {
  const row: RowValues = {};
  t.key.forEach((k, i) => (row[k] = e.key[i]));
  for (const c of columns) row[c] = values[c] ?? null;
  return row;
}

/** What one damaged row becomes, given the decision on it (if any). */
export function actionFor(t: ProdTable, e: PlanEntry, d: Decision | undefined): Action {
  const updatable = (cols: readonly string[]) =>
    cols.filter((c) => t.compared.some((x) => x.name === c && x.identity !== "a") && !t.key.includes(c));
  if (d?.choice === "keep-now" || d?.choice === "keep") return { kind: "none", decided: true };
  switch (e.class) {
    case "reinsert":
      return { kind: "insert", row: e.before! };
    case "restore":
      return { kind: "update", columns: updatable(e.columns), row: withKey(t, e, e.before!, updatable(e.columns)) };
    case "inserted":
      return d?.choice === "remove" ? { kind: "delete" } : { kind: "none", decided: false };
    case "conflict": {
      if (!d) return { kind: "none", decided: false };
      if (e.now === null) return { kind: "insert", row: e.before! };
      const cols = updatable(d.choice === "per-column" ? (d.takeBefore ?? []) : e.columns);
      return { kind: "update", columns: cols, row: withKey(t, e, e.before!, cols) };
    }
  }
}

function stale(t: string, keys: string[][]): LifeboatError {
  return new LifeboatError(
    "PLAN_STALE",
    `production moved since the plan was made: ${keys.length} row(s) of ${t} the plan would write are no longer as planned (e.g. ${JSON.stringify(keys[0])}); nothing was written`,
    "Re-plan: make the plan again (it will see the latest writes; the console's Re-plan button does it), review it, and apply the new one.",
    { table: t, keys: keys.slice(0, 20) },
  );
}

// The rows it repaired no longer match its "now", and the rows it left (undecided, or decided since) need a fresh
// comparison: a second apply of the same plan would only be refused row by row as "moved".
function alreadyApplied(planId: string, at: string): LifeboatError {
  return new LifeboatError(
    "PLAN_STALE",
    `repair plan ${planId} was already applied (at ${at}); a plan is applied once, and nothing was written now`,
    "Re-plan: make a new plan from the same states (`lifeboat forensics plan …` again, or the console's Re-plan button). It lists only what is still damaged; decide on those rows (decisions made on the old plan do not carry over), then apply the new plan.",
    { planId, appliedAt: at },
  );
}

function writeFailure(p: Side, err: unknown, table: string, committing: boolean): LifeboatError {
  if (err instanceof LifeboatError) return err;
  if (err instanceof pg.DatabaseError && /^2[23]/.test(err.code ?? ""))
    return new LifeboatError(
      "REPAIR_FAILED",
      `the repair of ${table} was refused by production and rolled back: ${redactText(err.message)}${err.detail ? ` (${redactText(err.detail)})` : ""}; nothing was written`,
      "A constraint no longer holds for the rows as planned (e.g. another row took a unique value since). Make the plan again, or decide on the rows involved, then apply.",
      { table, constraint: err.constraint, sqlstate: err.code },
    );
  const e = sideError(p, err, committing ? "commit the repair" : `repair ${table}`);
  const message = committing
    ? `${e.message}; the connection broke while committing, so production may or may not hold the repair`
    : `${e.message}; the transaction was not committed, nothing was written`;
  const hint = committing
    ? "Run `lifeboat forensics verify` to see what production holds now."
    : (e.hint ?? "Apply again once production is reachable.");
  return new LifeboatError(e.code, message, hint, e.details);
}

async function openTable(p: Side, plan: TablePlan): Promise<ProdTable> {
  const d = await describeSide(p, plan.table);
  if (plan.primaryKey.length && d.primaryKey.join("\u0000") !== plan.primaryKey.join("\u0000"))
    throw new LifeboatError(
      "PLAN_STALE",
      `the primary key of ${plan.table} changed since the plan was made; nothing was written`,
      "Make the plan again.",
    );
  return prodTable(d.table, plan.table, d.columns, plan.primaryKey, plan.comparedColumns, plan.rowHash ?? "md5");
}

class TableRun {
  readonly result: TableApply;
  readonly deletes: string[][] = [];
  constructor(
    readonly t: ProdTable,
    readonly plan: TablePlan,
  ) {
    this.result = { table: plan.table, inserted: 0, updated: 0, deleted: 0, sequences: [], triggersDisabled: [] };
  }
}

async function applyBatch(
  p: Side,
  run: TableRun,
  batch: PlanEntry[],
  o: ApplyOptions,
  left: ApplyResult["leftAlone"],
): Promise<void> {
  const t = run.t;
  const keyed = t.key.length > 0;
  const actions = batch.map((e) => ({ e, a: actionFor(t, e, o.decisions.get(decisionKey(e.table, e.key))) }));
  const live = actions.filter((x) => x.a.kind !== "none");
  for (const x of actions) {
    if (x.a.kind === "none" && x.a.decided) left.kept++;
    else if (x.a.kind === "none") left.undecided++;
  }
  if (live.length === 0) return;
  if (keyed) {
    const hashes = await lockAndHash(
      p,
      t,
      live.map((x) => x.e.key),
    );
    const moved = live.filter((x) => (hashes.get(JSON.stringify(x.e.key)) ?? null) !== x.e.nowHash).map((x) => x.e.key);
    if (moved.length) throw stale(t.name, moved);
  } else {
    const counts = await countByHash(p, t, [...new Set(live.map((x) => x.e.key[0]!))]);
    const moved = live.filter((x) => String(counts.get(x.e.key[0]!) ?? 0) !== x.e.nowHash).map((x) => x.e.key);
    if (moved.length) throw stale(t.name, moved);
  }
  const inserts = live.flatMap((x) => (x.a.kind === "insert" ? [x.a.row] : []));
  run.result.inserted += await insertRows(p, t, inserts);
  const groups = new Map<string, { columns: string[]; rows: RowValues[] }>();
  for (const x of live) {
    if (x.a.kind !== "update" || x.a.columns.length === 0) continue;
    const g = x.a.columns.join("\u0000");
    if (!groups.has(g)) groups.set(g, { columns: x.a.columns, rows: [] });
    groups.get(g)!.rows.push(x.a.row);
  }
  for (const g of groups.values()) {
    const n = await updateColumns(p, t, g.columns, g.rows);
    if (n !== g.rows.length)
      throw new LifeboatError(
        "PLAN_STALE",
        `${g.rows.length - n} row(s) of ${t.name} to repair were not found; nothing was written`,
        "Make the plan again.",
      );
    run.result.updated += n;
  }
  for (const x of live) if (x.a.kind === "delete") run.deletes.push(x.e.key);
}

async function runApply(
  production: ConnInfo,
  header: PlanHeader,
  o: ApplyOptions,
): Promise<Omit<ApplyResult, "digest" | "durationMs">> {
  const p = await openSide("production", production, "write");
  let current = "";
  let committing = false;
  try {
    await p.client.query("BEGIN");
    const plans = header.tables.filter((t) => !t.error).sort((a, b) => a.order - b.order);
    const runs = new Map<string, TableRun>();
    for (const plan of plans) {
      current = plan.table;
      const run = new TableRun(await openTable(p, plan), plan);
      if (!o.fireTriggers && plan.triggers.length) {
        await setTriggers(p, run.t, plan.triggers, false);
        run.result.triggersDisabled = plan.triggers;
      }
      runs.set(plan.table, run);
    }
    const left = { undecided: 0, kept: 0 };
    const batchRows = o.batchRows ?? 1000;
    let batch: PlanEntry[] = [];
    let done = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const run = runs.get(batch[0]!.table)!;
      current = run.plan.table;
      await applyBatch(p, run, batch, o, left);
      done += batch.length;
      o.onProgress?.({ table: current, rows: done, totalRows: header.entries });
      batch = [];
    };
    for await (const e of planEntries(o.planPath)) {
      if (!runs.has(e.table)) continue;
      if (batch.length && (batch[0]!.table !== e.table || batch.length >= batchRows)) await flush();
      batch.push(e);
    }
    await flush();
    // Rows the incident inserted go children first, so nothing still refers to them.
    for (const run of [...runs.values()].reverse()) {
      current = run.plan.table;
      if (run.t.key.length) run.result.deleted += await deleteByKeys(p, run.t, run.deletes);
      else for (const k of run.deletes) run.result.deleted += await deleteOneByHash(p, run.t, k[0]!);
    }
    for (const run of runs.values()) {
      current = run.plan.table;
      // setval() is not transactional: a dry run must not move a sequence.
      if (run.result.inserted > 0 && !o.dryRun)
        run.result.sequences = (await advanceSequences(p, run.t.table)).map((s) => ({
          sequence: s.sequence,
          setTo: s.setTo,
        }));
      if (run.result.triggersDisabled.length) await setTriggers(p, run.t, run.result.triggersDisabled, true);
    }
    committing = !o.dryRun;
    await p.client.query(o.dryRun ? "ROLLBACK" : "COMMIT");
    return {
      planId: header.planId,
      dryRun: o.dryRun,
      tables: [...runs.values()].map((r) => r.result),
      leftAlone: left,
    };
  } catch (err) {
    throw writeFailure(p, err, current || "the plan", committing);
  } finally {
    // Ending the connection without COMMIT rolls the transaction back.
    await closeSide(p);
  }
}

/** Applies (or dry-runs) a plan; a real apply needs `confirm` = production's database name. Journaled. */
export async function applyRepairPlan(
  production: ConnInfo,
  o: ApplyOptions,
  ctx: ForensicsContext,
): Promise<ApplyResult> {
  // Named from the file, not its header: a tampered header must still be refused on the journal's record.
  const planId = planIdOf(o.planPath);
  return ctx.journal.step(
    {
      kind: "forensics.apply",
      summary: `${o.dryRun ? "Dry run of" : "Apply"} repair plan ${planId} to production ${describeConn(production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        planId,
        ...(o.journaledDigest ? { digest: o.journaledDigest } : {}),
        dryRun: o.dryRun,
        decisions: o.decisions.size,
        fireTriggers: !!o.fireTriggers,
      },
    },
    async () => {
      const digest = await checkedPlanDigest(o.planPath, o.journaledDigest);
      const header = await readPlanHeader(o.planPath);
      if (o.appliedAt) throw alreadyApplied(planId, o.appliedAt);
      if (!o.dryRun) requireProductionConfirmation(production, o.confirm, `applying repair plan ${header.planId}`);
      if (header.production !== describeConn(production))
        throw new LifeboatError(
          "PLAN_STALE",
          `plan ${header.planId} was made for production ${header.production}, not ${describeConn(production)}; nothing was written`,
          "Apply a plan to the database it was made for, or make a new plan.",
        );
      const t0 = performance.now();
      const r = await runApply(production, header, o);
      return { ...r, digest, durationMs: performance.now() - t0 };
    },
    (r) => ({
      tables: Object.fromEntries(
        r.tables.map((t) => [t.table, { inserted: t.inserted, updated: t.updated, deleted: t.deleted }]),
      ),
      leftAlone: r.leftAlone,
    }),
  );
}
