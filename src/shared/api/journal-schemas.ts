import { z } from "zod";

export const JournalOutcome = z.enum(["started", "ok", "failed", "refused", "info"]);

export const JournalRecord = z.object({
  v: z.literal(1),
  seq: z.number().int(),
  ts: z.string(),
  actor: z.object({ user: z.string(), host: z.string() }),
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
  closeSeq: z.number().optional(),
  closedAt: z.string().optional(),
  records: z.number(),
});
export type IncidentInfo = z.infer<typeof IncidentInfo>;

const Note = z.object({ seq: z.number(), ts: z.string(), by: z.string(), text: z.string() });
const Contact = z.object({
  role: z.string(),
  name: z.string(),
  contact: z.string(),
  responsibility: z.string().optional(),
});

/** An incident folded from its records: RTO clock, achieved RPO, checklist, notes, operations. */
export const IncidentReport = z.object({
  id: z.string(),
  /** The data repair (Scenario 1): the last verify's answer, an apply never verified, the reason to close regardless. */
  repair: z
    .object({
      planId: z.string().optional(),
      green: z.boolean().optional(),
      undecided: z.number().optional(),
      remaining: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
      verifiedAt: z.string().optional(),
      unverifiedApply: z.string().optional(),
      unrepairedReason: z.string().optional(),
    })
    .optional(),
  title: z.string(),
  severity: z.string().optional(),
  scenario: z.string().optional(),
  status: z.enum(["open", "closed"]),
  openedAt: z.string().optional(),
  detectedAt: z.string().optional(),
  serviceRestoredAt: z.string().optional(),
  closedAt: z.string().optional(),
  resolution: z.string().optional(),
  targets: z.object({ rtoMinutes: z.number(), rpoMinutes: z.number() }),
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
  checklist: z.array(
    z.object({ item: z.string(), done: z.boolean(), at: z.string().optional(), by: z.string().optional() }),
  ),
  notes: z.array(Note),
  decisions: z.array(Note),
  followUps: z.array(Note),
  operations: z.array(
    z.object({
      seq: z.number(),
      kind: z.string(),
      summary: z.string(),
      outcome: JournalOutcome,
      startedAt: z.string(),
      endedAt: z.string().optional(),
      durationMs: z.number().optional(),
      error: z.string().optional(),
    }),
  ),
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
