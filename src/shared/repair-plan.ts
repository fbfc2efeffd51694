// A repair plan (Scenario 1): what an incident did to each row, from up to three states of the database, and what
// applying the plan will write. One declaration for the engine, the API, the CLI and the console.
import { z } from "zod";

/**
 * The damage classes (each row the incident touched is in exactly one), then the rows that are counted but left alone.
 * - reinsert: deleted by the incident, still absent now: put back.
 * - restore: changed by the incident, untouched since (now = damaged): the before values go back, column by column.
 * - conflict: changed by the incident and written again since (or, with two states, not attributable): a decision.
 * - inserted: inserted by the incident: a decision (keep or remove).
 */
export const DAMAGE_CLASSES = ["reinsert", "restore", "conflict", "inserted"] as const;
export const DamageClass = z.enum(DAMAGE_CLASSES);
export type DamageClass = z.infer<typeof DamageClass>;

/** A row's column values as text (json/jsonb columns as their JSON), so 64-bit ids and numerics survive exactly. */
export const RowValues = z.record(z.string(), z.unknown());
export type RowValues = z.infer<typeof RowValues>;

export const PlanEntry = z.object({
  table: z.string(),
  /** The primary key's text values in key order; for a table without one, the row hash. */
  key: z.array(z.string()),
  class: DamageClass,
  /** Columns whose values differ between the states (before vs damaged, or before vs now for a conflict). */
  columns: z.array(z.string()),
  /** The row at each state: null = absent, undefined = that state was not compared (two-state plan). */
  before: RowValues.nullable(),
  damaged: RowValues.nullable().optional(),
  now: RowValues.nullable(),
  /** Production's row hash when the plan was made (null: absent), checked under lock before apply writes. */
  nowHash: z.string().nullable(),
  note: z.string().optional(),
});
export type PlanEntry = z.infer<typeof PlanEntry>;

export const ClassCounts = z.object({
  reinsert: z.number(),
  restore: z.number(),
  conflict: z.number(),
  inserted: z.number(),
  /** Written legitimately after the incident (changed, inserted or deleted since): kept. */
  later: z.number(),
  /** Damaged by the incident but already back as it was before. */
  repaired: z.number(),
  unchanged: z.number(),
});
export type ClassCounts = z.infer<typeof ClassCounts>;

export const TablePlan = z.object({
  table: z.string(),
  mode: z.enum(["primary-key", "full-row"]),
  primaryKey: z.array(z.string()),
  /** How rows were hashed (apply recomputes production's hashes the same way to see whether it moved). */
  rowHash: z.enum(["hash_record_extended", "md5"]).optional(),
  /** Why it is part of the plan: named by the operator (or the audit bursts), or linked by a foreign key. */
  reason: z.string(),
  /** Apply order: parents before children. */
  order: z.number(),
  counts: ClassCounts,
  rows: z.object({ before: z.number(), damaged: z.number().nullable(), now: z.number() }),
  /** Columns compared (present with the same type in every state). */
  comparedColumns: z.array(z.string()),
  drift: z.object({
    droppedSinceBefore: z.array(z.string()),
    addedSinceBefore: z.array(z.string()),
    typeChanged: z.array(z.string()),
    generated: z.array(z.string()),
  }),
  /** Enabled user triggers on production's table that an apply would fire (unless disabled for it). */
  triggers: z.array(z.string()),
  warnings: z.array(z.string()),
  /** The table could not be planned (e.g. its key changed type); nothing of it will be applied. */
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type TablePlan = z.infer<typeof TablePlan>;

export const PlanHeader = z.object({
  planId: z.string(),
  createdAt: z.string(),
  states: z.enum(["three", "two"]),
  production: z.string(),
  /** Descriptions of where each state came from (no passwords). */
  sources: z.object({ before: z.string(), damaged: z.string().optional() }),
  points: z.object({ before: z.string().optional(), damaged: z.string().optional() }).optional(),
  /** How a face reaches each state again (a profile, a Neon branch, a secret's name; never a password), for verify. */
  sourceRefs: z.object({ before: z.unknown(), damaged: z.unknown().optional() }).optional(),
  /** Two-state plans: the incident window the audit table attributed rows to (verify compares with the same one). */
  audit: z.object({ from: z.string(), to: z.string(), auditTable: z.string().optional() }).optional(),
  tables: z.array(TablePlan),
  totals: ClassCounts,
  entries: z.number(),
  warnings: z.array(z.string()),
});
export type PlanHeader = z.infer<typeof PlanHeader>;

/** An operator's decision on one damaged row: keep production's row, take the before row, or per column. */
export const Decision = z.object({
  table: z.string(),
  key: z.array(z.string()),
  choice: z.enum(["keep-now", "take-before", "per-column", "keep", "remove"]),
  /** per-column: the columns whose before value is taken (the others keep now). */
  takeBefore: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type Decision = z.infer<typeof Decision>;

export const TableApply = z.object({
  table: z.string(),
  inserted: z.number(),
  updated: z.number(),
  deleted: z.number(),
  sequences: z.array(z.object({ sequence: z.string(), setTo: z.string() })),
  triggersDisabled: z.array(z.string()),
});
export type TableApply = z.infer<typeof TableApply>;

export const TableRemaining = z.object({
  table: z.string(),
  /** Damaged rows still not as they were before, with no recorded decision. */
  undecided: z.number(),
  /** Damaged rows left as they are by a recorded decision. */
  decided: z.number(),
  byClass: z.object({ reinsert: z.number(), restore: z.number(), conflict: z.number(), inserted: z.number() }),
  error: z.string().optional(),
});
export type TableRemaining = z.infer<typeof TableRemaining>;
