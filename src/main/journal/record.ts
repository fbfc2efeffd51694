// The shape of one journal record. Pure types and constants (no Node imports), so the contract can move to src/shared
// when the renderer needs it.

export const RECORD_VERSION = 1;

export const OUTCOMES = ["started", "ok", "failed", "refused", "info"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The `prev` of the very first record: 64 zeros. */
export const GENESIS_PREV = "0".repeat(64);

export interface Actor {
  user: string;
  host: string;
}

/** What callers hand to the journal. Everything else (seq, ts, actor, chain) is the journal's job. */
export interface JournalEntryInput {
  kind: string;
  summary: string;
  details?: Record<string, unknown>;
  outcome?: Outcome;
  durationMs?: number;
  profile?: string;
  incident?: string;
}

/** One line of a segment file, parsed. Keys are listed in the order they are written on disk. */
export interface JournalRecord {
  v: 1;
  seq: number;
  ts: string;
  actor: Actor;
  profile?: string;
  incident?: string;
  kind: string;
  summary: string;
  details: Record<string, unknown>;
  outcome: Outcome;
  durationMs?: number;
  prev: string;
  hash: string;
}

/** Kinds written by the journal and the incident module themselves; engine kinds are free-form (`backup.run`, ...). */
export const KIND = {
  incidentOpen: "incident.open",
  incidentClose: "incident.close",
  serviceRestored: "incident.service-restored",
  note: "operator.note",
  decision: "operator.decision",
  followUp: "operator.follow-up",
  step: "operator.step",
  tornTail: "journal.torn-tail",
  anchorMismatch: "journal.anchor-mismatch",
  exported: "journal.export",
} as const;

export const KIND_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
