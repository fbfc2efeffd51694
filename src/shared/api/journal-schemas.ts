// The journal's record and the incident shapes folded from it: the one declaration the engine, the CLI and the console
// share (the on-disk format is specified in src/main/journal/README-format.md).
import { z } from "zod";
import { Contact, Targets } from "../incident.ts";

export const OUTCOMES = ["started", "ok", "failed", "refused", "cancelled", "info", "unknown"] as const;
export const JournalOutcome = z.enum(OUTCOMES);
export type JournalOutcome = z.infer<typeof JournalOutcome>;

/** Who did it: the OS user and the machine. */
export const Actor = z.object({ user: z.string(), host: z.string() });
export type Actor = z.infer<typeof Actor>;

/** One line of a segment file, parsed. Keys are listed in the order they are written on disk. */
export const JournalRecord = z.object({
  v: z.literal(1),
  seq: z.number().int(),
  ts: z.string(),
  actor: Actor,
  profile: z.string().optional(),
  incident: z.string().optional(),
  kind: z.string(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  outcome: JournalOutcome,
  durationMs: z.number().optional(),
  prev: z.string(),
  hash: z.string(),
});
export type JournalRecord = z.infer<typeof JournalRecord>;

export const IncidentInfo = z.object({
  id: z.string(),
  title: z.string().optional(),
  severity: z.string().optional(),
  scenario: z.string().optional(),
  openSeq: z.number().optional(),
  openedAt: z.string().optional(),
  detectedAt: z.string().optional(),
  restoredAt: z.string().optional(),
  /** A drill (the weekly test, practice), labelled as such, never as an incident. */
  drill: z.boolean().optional(),
  closeSeq: z.number().optional(),
  closedAt: z.string().optional(),
  records: z.number(),
});
export type IncidentInfo = z.infer<typeof IncidentInfo>;

/** A note, decision or follow-up of an incident. */
export const IncidentNote = z.object({ seq: z.number(), ts: z.string(), by: z.string(), text: z.string() });
export type IncidentNote = z.infer<typeof IncidentNote>;

/** A runbook step recorded during an incident: what the operator recorded or the step reported, in full. */
export const IncidentStep = z.object({
  seq: z.number(),
  ts: z.string(),
  by: z.string(),
  runbook: z.string(),
  step: z.string(),
  title: z.string(),
  outcome: JournalOutcome,
  value: z.string().optional(),
});
export type IncidentStep = z.infer<typeof IncidentStep>;

/** An engine operation run during an incident: its start record, joined with its end record when there is one. */
export const IncidentOperation = z.object({
  seq: z.number(),
  kind: z.string(),
  summary: z.string(),
  outcome: JournalOutcome,
  startedAt: z.string(),
  endedAt: z.string().optional(),
  durationMs: z.number().optional(),
  error: z.string().optional(),
});
export type IncidentOperation = z.infer<typeof IncidentOperation>;

/** The data repair (Scenario 1): the last verify's answer, an apply never verified, the reason to close regardless. */
export const RepairStatus = z.object({
  planId: z.string().optional(),
  /** The last verify's answer; absent when the incident never verified a repair. */
  green: z.boolean().optional(),
  undecided: z.number().optional(),
  /** Per table: rows left unrepaired with no decision (or "not compared: …"). */
  remaining: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
  verifiedAt: z.string().optional(),
  /** A repair was applied after the last verify (or with none): what production holds now is unproven. */
  unverifiedApply: z.string().optional(),
  /** Given when the incident was closed with damage left. */
  unrepairedReason: z.string().optional(),
});
export type RepairStatus = z.infer<typeof RepairStatus>;

/** An incident folded from its records: RTO clock, achieved RPO, checklist, notes, operations. */
export const IncidentReport = z.object({
  id: z.string(),
  repair: RepairStatus.optional(),
  title: z.string(),
  severity: z.string().optional(),
  scenario: z.string().optional(),
  drill: z.boolean(),
  profile: z.string().optional(),
  status: z.enum(["open", "closed"]),
  openedAt: z.string().optional(),
  detectedAt: z.string().optional(),
  detectedAtOriginal: z.string().optional(),
  serviceRestoredAt: z.string().optional(),
  closedAt: z.string().optional(),
  resolution: z.string().optional(),
  targets: Targets,
  rto: z.object({
    fromLabel: z.string(),
    from: z.string().optional(),
    to: z.string().optional(),
    achievedMs: z.number().optional(),
    elapsedMs: z.number().optional(),
    met: z.boolean().optional(),
  }),
  rpo: z.object({
    recoveryPoint: z.string().optional(),
    corruptionTime: z.string().optional(),
    basis: z.enum(["corruption-time", "detection-time", "unknown"]),
    achievedMs: z.number().optional(),
    met: z.boolean().optional(),
    note: z.string().optional(),
  }),
  /** The post-recovery checklist: each item's stable id, its text, and who ticked it when. */
  checklist: z.array(
    z.object({
      id: z.string(),
      item: z.string(),
      done: z.boolean(),
      at: z.string().optional(),
      by: z.string().optional(),
    }),
  ),
  notes: z.array(IncidentNote),
  decisions: z.array(IncidentNote),
  followUps: z.array(IncidentNote),
  /** Every runbook step recorded, its value in full. */
  steps: z.array(IncidentStep),
  operations: z.array(IncidentOperation),
  contacts: z.array(Contact),
  counts: z.object({
    records: z.number(),
    byOutcome: z.record(z.string(), z.number()),
    operations: z.number(),
    omitted: z.number(),
  }),
  firstSeq: z.number().optional(),
  lastSeq: z.number().optional(),
  firstTs: z.string().optional(),
  lastTs: z.string().optional(),
});
export type IncidentReport = z.infer<typeof IncidentReport>;
