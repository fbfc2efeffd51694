// The operator journal: the one interface the engine writes through, and how to open one.
// Format, guarantees and how to read it without Lifeboat: README-format.md in this folder.
import type { Actor, JournalRecord, JournalOutcome } from "../../shared/api/journal-schemas.ts";
import { ERROR_CODES, isLifeboatError, type LifeboatError } from "../../shared/errors.ts";
import { resolveJournalDir } from "./journal-paths.ts";
import { IndexedJournalReader, type JournalReader } from "./journal-reader.ts";
import { JournalWriter, journalWriteError, type JournalWarning } from "./journal-writer.ts";
import { incidentClosed } from "./closed-incident.ts";
import { readHead, type HeadFile } from "./head-file.ts";
import { isLocalDiskError } from "../process/local-disk-error.ts";
import { clearRunning, markRunning } from "./run-markers.ts";
import { GENESIS_PREV, KIND, type JournalEntryInput } from "./record.ts";

export type { JournalEntryInput } from "./record.ts";
export type { JournalReader, JournalQuery, PageQuery, QueryResult, JournalLine } from "./journal-reader.ts";
export type { JournalWarning } from "./journal-writer.ts";

export interface Journal {
  append(entry: JournalEntryInput): Promise<JournalRecord>;
  /**
   * Journals start (outcome "started") and end (ok/failed/refused/cancelled with durationMs and the error code+message)
   * of an engine operation; rethrows. An operation that succeeded stays a success when its end cannot be recorded: the
   * result (an object) gets a `warnings` entry saying so.
   */
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

function outcomeOf(e: LifeboatError): JournalOutcome {
  if (OUTCOME_UNKNOWN.has(e.code)) return "unknown";
  const kind = ERROR_CODES[e.code];
  return kind === "REFUSED" ? "refused" : kind === "CANCELLED" ? "cancelled" : "failed";
}

function errorOf(e: unknown): { outcome: JournalOutcome; error: Record<string, unknown> } {
  if (isLifeboatError(e)) {
    return {
      outcome: outcomeOf(e),
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
  marks?: { dir: string },
): Promise<T> {
  // Awaited on purpose: an operation whose start cannot be recorded does not run.
  const started = await append({ ...entry, outcome: "started" });
  if (!marks) return finishStep(append, entry, started, fn, summarize, now);
  markRunning(marks.dir, started.seq);
  try {
    return await finishStep(append, entry, started, fn, summarize, now);
  } finally {
    clearRunning(marks.dir, started.seq);
  }
}

async function finishStep<T>(
  append: (e: JournalEntryInput) => Promise<JournalRecord>,
  entry: Omit<JournalEntryInput, "outcome" | "durationMs">,
  started: JournalRecord,
  fn: () => Promise<T>,
  summarize: ((result: T) => Record<string, unknown>) | undefined,
  now: () => number,
): Promise<T> {
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
  try {
    await append({
      ...entry,
      outcome: "ok",
      durationMs: now() - t0,
      details: { ...entry.details, ...summary, startSeq: started.seq },
    });
  } catch (e) {
    // What happened happened: a full journal disk must not turn a committed backup into a reported failure.
    return withWarning(result, unrecordedWarning(e, started.seq));
  }
  return result;
}

function unrecordedWarning(e: unknown, seq: number): string {
  const why = e instanceof Error ? e.message.replace(/\.$/, "") : String(e);
  return `this success is NOT in the journal: ${why}. Journal record #${seq} shows the operation as started only; once the journal can be written again, \`lifeboat doctor --fix\` closes it (for a backup, from the manifest in the store)`;
}

function withWarning<T>(result: T, warning: string): T {
  if (result === null || typeof result !== "object" || Array.isArray(result)) return result;
  const r = result as { warnings?: unknown };
  const warnings = Array.isArray(r.warnings) ? [...(r.warnings as unknown[]), warning] : [warning];
  return { ...result, warnings };
}

/**
 * Opens (creating if needed) the journal in `dir`, LIFEBOAT_JOURNAL_DIR, or the user data folder. Repairs a torn tail
 * left by a crash (set aside, reported in `warnings`, and recorded in the chain) before returning. A journal on a
 * disk that is full, read-only or not writable still opens, for reading: every append (so every journaled
 * operation) then fails with JOURNAL_WRITE_FAILED naming the folder and the cause, and `warnings` says so.
 */
export async function openJournal(opts: OpenJournalOptions = {}): Promise<OpenJournal> {
  const dir = resolveJournalDir(opts.dir);
  let writer: JournalWriter;
  try {
    writer = await JournalWriter.open({
      dir,
      ...(opts.actor ? { actor: opts.actor } : {}),
      ...(opts.segmentBytes ? { segmentBytes: opts.segmentBytes } : {}),
      ...(opts.lockTimeoutMs ? { lockTimeoutMs: opts.lockTimeoutMs } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
  } catch (e) {
    if (!isLocalDiskError(e) && !(isLifeboatError(e) && e.code === "JOURNAL_WRITE_FAILED")) throw e;
    return readOnlyJournal(dir, journalWriteError(e, dir));
  }
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
    ...readerFacade(dir, reader, () => writer.drain()),
    warnings: writer.warnings,
    append,
    step: (entry, fn, summarize) => journalStep(append, entry, fn, summarize, now, { dir }),
    close: () => writer.close(),
    head: () => writer.head,
    currentIncident: () => writer.currentIncident,
    refresh: () => writer.refresh(),
  };
}

/** Reads see only what is durable: each waits for in-flight appends first. */
function readerFacade(
  dir: string,
  reader: IndexedJournalReader,
  drain: () => Promise<void>,
): JournalReader & { dir: string } {
  return {
    dir,
    get indexWarnings() {
      return reader.indexWarnings;
    },
    query: async (q) => (await drain(), reader.query(q)),
    get: async (seq) => (await drain(), reader.get(seq)),
    lines: (q) => drained(drain, () => reader.lines(q)),
    lineChunks: (q) => drained(drain, () => reader.lineChunks(q)),
    count: async (q) => (await drain(), reader.count(q)),
    tip: async () => (await drain(), reader.tip()),
    incidents: async () => (await drain(), reader.incidents()),
    incident: async (id) => (await drain(), reader.incident(id)),
  };
}

/** The journal of a disk that cannot be written: it reads; appends fail with `error`. */
function readOnlyJournal(dir: string, error: LifeboatError): OpenJournal {
  const reader = new IndexedJournalReader(dir);
  const append = (): Promise<JournalRecord> => Promise.reject(error);
  const head = (): HeadFile | undefined => {
    try {
      const h = readHead(dir);
      return h.state === "ok" ? h.head : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    ...readerFacade(dir, reader, async () => undefined),
    warnings: [{ code: "unwritable", message: `${error.message}: the journal is open for reading only` }],
    append,
    step: (entry, fn, summarize) => journalStep(append, entry, fn, summarize),
    close: async () => undefined,
    refresh: async () => undefined,
    head: () => {
      const h = head();
      return h ? { seq: h.seq, hash: h.hash } : { seq: 0, hash: GENESIS_PREV };
    },
    currentIncident: () => head()?.openIncident ?? undefined,
  };
}

async function* drained<T>(drain: () => Promise<void>, it: () => AsyncIterable<T>): AsyncIterable<T> {
  await drain();
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
