import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { journalStep, type Journal, type JournalEntryInput } from "./journal.ts";

/** A journal that remembers the first and last seq of what was appended through it: the range a run copies. */
export interface TrackedJournal extends Journal {
  readonly firstSeq: number | undefined;
  readonly lastSeq: number | undefined;
}

export function trackedJournal(inner: Pick<Journal, "append">, now?: () => number): TrackedJournal {
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
    get firstSeq() {
      return firstSeq;
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}
