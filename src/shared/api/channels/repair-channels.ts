// Scenario 1's repair: a plan from three states of the database, decisions on what it cannot decide alone, one
// transaction to apply it, and a verify that says what is still damaged.
import { z } from "zod";
import { DamageClass, Decision, PlanEntry, PlanHeader, TableApply, TableRemaining } from "../../repair-plan.ts";
import { channel, IsoTime, OperationId, ProfileName } from "../common-schemas.ts";
import { DatabaseRef, TableName } from "./forensics-channels.ts";

/** The production profile; the only one when omitted. */
const ProfileChoice = ProfileName.optional();

export const PlanId = z
  .string()
  .regex(/^plan-[0-9]{8}-[0-9]{6}-[0-9a-f]{6}$/, "is not a plan id (plan-YYYYMMDD-HHMMSS-xxxxxx)");

export const repairChannels = {
  "forensics.plan": channel({
    doc:
      "Makes a repair plan: the tables (and every table linked to them by a foreign key) compared by primary key across " +
      "before (the last good second), damaged (right after the incident) and production now; each damaged row classified " +
      "(reinsert, restore, conflict, inserted). Without `damaged`, every change is a conflict unless the audit window " +
      "attributes it. Writes nothing to any database; the plan file's digest is journaled.",
    long: true,
    request: z
      .object({
        profile: ProfileChoice,
        before: DatabaseRef,
        damaged: DatabaseRef.optional(),
        tables: z.array(TableName).min(1).max(100),
        followForeignKeys: z.boolean().optional(),
        /** When the states were taken, if known: checked to be in order (damaged after before). */
        points: z.object({ before: IsoTime.optional(), damaged: IsoTime.optional() }).strict().optional(),
        /** Two-state plans: the incident window in which the audit table attributes rows to the incident. */
        audit: z.object({ from: IsoTime, to: IsoTime, auditTable: TableName.optional() }).strict().optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({ plan: PlanHeader, digest: z.string(), file: z.string(), bytes: z.number() }),
  }),
  "forensics.planRows": channel({
    doc: "A page of a plan's damaged rows (filtered by table and class) with each row's values in every state and its decision, for the drill-down.",
    request: z
      .object({
        planId: PlanId,
        /** Whose decisions to show with the rows (default: this plan's): verify's plan shows the repaired plan's. */
        decisionsOf: PlanId.optional(),
        table: TableName.optional(),
        class: DamageClass.optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    result: z.object({
      plan: PlanHeader,
      rows: z.array(z.object({ entry: PlanEntry, decision: Decision.optional() })),
      total: z.number(),
    }),
  }),
  "forensics.decide": channel({
    doc:
      "Records the operator's decisions on a plan's rows (conflicts: keep-now, take-before, per-column; inserted rows: keep, " +
      "remove), each checked against the plan; or one choice for every row of a table and class. Journaled.",
    request: z
      .object({
        planId: PlanId,
        decisions: z.array(Decision).max(100000).optional(),
        all: z.object({ table: TableName, class: DamageClass, choice: Decision.shape.choice }).strict().optional(),
      })
      .strict()
      .refine((r) => !!r.decisions !== !!r.all, "give either decisions or all"),
    result: z.object({ recorded: z.number() }),
  }),
  "forensics.apply": channel({
    doc:
      "Applies a plan to production in ONE transaction, parents first; refuses a plan whose production rows moved since it was " +
      "made. A dry run runs every statement and rolls back (its counts are the statements' real effects). A real apply " +
      "needs `confirm` equal to production's database name.",
    long: true,
    request: z
      .object({
        profile: ProfileChoice,
        planId: PlanId,
        dryRun: z.boolean(),
        confirm: z.string().max(128).optional(),
        /** Let production's user triggers fire on the repair (default: disabled for its transaction). */
        fireTriggers: z.boolean().optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      planId: z.string(),
      digest: z.string(),
      dryRun: z.boolean(),
      tables: z.array(TableApply),
      leftAlone: z.object({ undecided: z.number(), kept: z.number() }),
      durationMs: z.number(),
    }),
  }),
  "forensics.verify": channel({
    doc:
      "Compares the plan's tables again across the same states and counts, per table, the damaged rows still not as they " +
      "were with no recorded decision. Green only when there are none. Journaled (the incident's close reads it).",
    long: true,
    request: z.object({ profile: ProfileChoice, planId: PlanId, operationId: OperationId.optional() }).strict(),
    result: z.object({
      planId: z.string(),
      verifyPlanId: z.string(),
      tables: z.array(TableRemaining),
      undecided: z.number(),
      decided: z.number(),
      green: z.boolean(),
    }),
  }),
  "forensics.exportPlan": channel({
    doc: "Exports a plan for review: CSV (one line per differing column) or JSON, into the exports folder; journaled with its sha256.",
    request: z.object({ planId: PlanId, format: z.enum(["csv", "json"]) }).strict(),
    result: z.object({ file: z.string(), bytes: z.number(), rows: z.number(), digest: z.string() }),
  }),
};
