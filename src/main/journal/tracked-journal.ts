import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { journalStep, type Journal, type JournalEntryInput, type JournalReader } from "./journal.ts";

/** A journal that remembers the first and last seq of what was appended through it: the range a run copies. */
export interface TrackedJournal extends Journal {
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
  /** The inner journal's reading, where it has one: a job run through it still sees its earlier runs. */
  query?: JournalReader["query"];
}

export function trackedJournal(
  inner: Pick<Journal, "append"> & Partial<Pick<JournalReader, "query">>,
  now?: () => number,
): TrackedJournal {
  let firstSeq: number | undefined;
  let lastSeq: number | undefined;
  const append = async (e: JournalEntryInput): Promise<JournalRecord> => {
    const r = await inner.append(e);
    firstSeq ??= r.seq;
    lastSeq = Math.max(lastSeq ?? 0, r.seq);
    return r;
  };
  return {
    append,
    step: (entry, fn, summarize) => journalStep(append, entry, fn, summarize, now),
    close: async () => undefined,
    // Without it the scheduled weekly Neon test had no last passing run to compare with, so it could never fail.
    ...(inner.query ? { query: inner.query.bind(inner) } : {}),
    get firstSeq() {
      return firstSeq;
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}
