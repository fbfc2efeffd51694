// The operator journal: the one interface the engine writes through, and how to open one.
// Format, guarantees and how to read it without Lifeboat: README-format.md in this folder.
import type { Actor, JournalRecord, JournalOutcome } from "../../shared/api/journal-schemas.ts";
import { ERROR_CODES, isLifeboatError } from "../../shared/errors.ts";
import { resolveJournalDir } from "./journal-paths.ts";
import { IndexedJournalReader, type JournalReader } from "./journal-reader.ts";
import { JournalWriter, type JournalWarning } from "./journal-writer.ts";
import { incidentClosed } from "./closed-incident.ts";
import { GENESIS_PREV, KIND, type JournalEntryInput } from "./record.ts";

export type { JournalEntryInput } from "./record.ts";
export type { JournalReader, JournalQuery, PageQuery, QueryResult, JournalLine } from "./journal-reader.ts";
export type { JournalWarning } from "./journal-writer.ts";

export interface Journal {
  append(entry: JournalEntryInput): Promise<JournalRecord>;
  /** Journals start (outcome "started") and end (ok/failed/refused with durationMs and the error code+message) of an engine operation; rethrows. */
  step<T>(
    entry: Omit<JournalEntryInput, "outcome" | "durationMs">,
    fn: () => Promise<T>,
    summarize?: (result: T) => Record<string, unknown>,
  ): Promise<T>;
  close(): Promise<void>;
}

export interface OpenJournal extends Journal, JournalReader {
  /** What open() found and repaired: a torn tail set aside, a head anchor that no longer matches. */
  readonly warnings: readonly JournalWarning[];
  /** The last committed record (seq 0 and 64 zeros when empty). */
  head(): { seq: number; hash: string };
  /** The incident records currently attach to, if one is open (as of the last write or refresh). */
  currentIncident(): string | undefined;
  /** Catches up with records other processes appended, so head() and currentIncident() are current. */
  refresh(): Promise<void>;
}

export interface OpenJournalOptions {
  dir?: string;
  actor?: Actor;
  /** Start a new segment file past this size (default 64 MiB). */
  segmentBytes?: number;
  lockTimeoutMs?: number;
  /** Where timestamps come from; for tests and demos only. */
  clock?: () => Date;
}

// Codes that say "it may have happened": recorded as unknown, never as failed.
const OUTCOME_UNKNOWN = new Set(["NEON_ANSWER_LOST", "NEON_OUTCOME_UNKNOWN"]);

function errorOf(e: unknown): { outcome: JournalOutcome; error: Record<string, unknown> } {
  if (isLifeboatError(e)) {
    return {
      outcome: OUTCOME_UNKNOWN.has(e.code) ? "unknown" : ERROR_CODES[e.code] === "REFUSED" ? "refused" : "failed",
      error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) },
    };
  }
  const err = e instanceof Error ? e : new Error(String(e));
  return { outcome: "failed", error: { code: "INTERNAL", name: err.name, message: err.message } };
}

/** The start/end pair every engine operation is wrapped in. */
export async function journalStep<T>(
  append: (e: JournalEntryInput) => Promise<JournalRecord>,
  entry: Omit<JournalEntryInput, "outcome" | "durationMs">,
  fn: () => Promise<T>,
  summarize?: (result: T) => Record<string, unknown>,
  now: () => number = () => performance.now(),
): Promise<T> {
  // Awaited on purpose: an operation whose start cannot be recorded does not run.
  const started = await append({ ...entry, outcome: "started" });
  const t0 = now();
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    const { outcome, error } = errorOf(e);
    try {
      await append({
        ...entry,
        outcome,
        durationMs: now() - t0,
        details: { ...entry.details, startSeq: started.seq, error },
      });
    } catch {
      // The operation's own error is what the caller needs to see.
    }
    throw e;
  }
  let summary: Record<string, unknown>;
  try {
    summary = summarize?.(result) ?? {};
  } catch (e) {
    summary = { summarizeError: (e as Error).message };
  }
  await append({
    ...entry,
    outcome: "ok",
    durationMs: now() - t0,
    details: { ...entry.details, ...summary, startSeq: started.seq },
  });
  return result;
}

/**
 * Opens (creating if needed) the journal in `dir`, LIFEBOAT_JOURNAL_DIR, or the user data folder. Repairs a torn tail
 * left by a crash (set aside, reported in `warnings`, and recorded in the chain) before returning.
 */
export async function openJournal(opts: OpenJournalOptions = {}): Promise<OpenJournal> {
  const dir = resolveJournalDir(opts.dir);
  const writer = await JournalWriter.open({
    dir,
    ...(opts.actor ? { actor: opts.actor } : {}),
    ...(opts.segmentBytes ? { segmentBytes: opts.segmentBytes } : {}),
    ...(opts.lockTimeoutMs ? { lockTimeoutMs: opts.lockTimeoutMs } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const reader = new IndexedJournalReader(dir);
  // Records attach to the open incident by themselves; one naming another incident must not reopen a closed one. That
  // check reads the index, so it is asynchronous: appends queued after it wait behind it, keeping call order.
  let gate: Promise<void> | undefined;
  const append = (e: JournalEntryInput): Promise<JournalRecord> => {
    const check = !!e.incident && e.incident !== writer.currentIncident && e.kind !== KIND.incidentOpen;
    if (!check && !gate) return writer.append(e);
    const queued = (gate ?? Promise.resolve()).then(async () => {
      if (check) {
        await writer.drain();
        const info = await reader.incident(e.incident!);
        if (info?.closeSeq) throw incidentClosed(e.incident!, info.closedAt);
      }
      // Wrapped, so that `queued` settles once the entry is queued, not once it is durable.
      return { durable: writer.append(e) };
    });
    const mine: Promise<void> = queued.then(
      () => undefined,
      () => undefined,
    );
    gate = mine;
    void mine.then(() => {
      if (gate === mine) gate = undefined;
    });
    return queued.then((q) => q.durable);
  };
  const clock = opts.clock;
  const now = clock ? () => clock().getTime() : undefined;
  return {
    dir,
    warnings: writer.warnings,
    get indexWarnings() {
      return reader.indexWarnings;
    },
    append,
    step: (entry, fn, summarize) => journalStep(append, entry, fn, summarize, now),
    close: () => writer.close(),
    head: () => writer.head,
    currentIncident: () => writer.currentIncident,
    refresh: () => writer.refresh(),
    // Reads see only what is durable: wait for in-flight appends first.
    query: async (q) => (await writer.drain(), reader.query(q)),
    get: async (seq) => (await writer.drain(), reader.get(seq)),
    lines: (q) => drained(writer, () => reader.lines(q)),
    lineChunks: (q) => drained(writer, () => reader.lineChunks(q)),
    count: async (q) => (await writer.drain(), reader.count(q)),
    tip: async () => (await writer.drain(), reader.tip()),
    incidents: async () => (await writer.drain(), reader.incidents()),
    incident: async (id) => (await writer.drain(), reader.incident(id)),
  };
}

async function* drained<T>(writer: JournalWriter, it: () => AsyncIterable<T>): AsyncIterable<T> {
  await writer.drain();
  yield* it();
}

/** Read-only access (no lock, nothing written to the journal): for verify, list and export of a copied journal too. */
export function openJournalReader(dir?: string): JournalReader {
  return new IndexedJournalReader(resolveJournalDir(dir));
}

/** A journal that records nothing, for unit tests of engine code. */
export function nullJournal(): Journal {
  let seq = 0;
  const append = async (e: JournalEntryInput): Promise<JournalRecord> => ({
    v: 1,
    seq: ++seq,
    ts: new Date().toISOString(),
    actor: { user: "test", host: "test" },
    kind: e.kind,
    summary: e.summary,
    details: e.details ?? {},
    outcome: e.outcome ?? "info",
    ...(e.durationMs !== undefined ? { durationMs: e.durationMs } : {}),
    prev: GENESIS_PREV,
    hash: GENESIS_PREV,
  });
  return { append, step: (entry, fn, summarize) => journalStep(append, entry, fn, summarize), close: async () => {} };
}
