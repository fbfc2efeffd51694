// The journal's own constants. The record's shape is declared once, in src/shared/api/journal-schemas.ts.
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";

export const RECORD_VERSION = 1;

/** The `prev` of the very first record: 64 zeros. */
export const GENESIS_PREV = "0".repeat(64);

/** What callers hand to the journal. Everything else (seq, ts, actor, chain) is the journal's job. */
export type JournalEntryInput = Pick<JournalRecord, "kind" | "summary"> &
  Partial<Pick<JournalRecord, "details" | "outcome" | "durationMs" | "profile" | "incident">>;

export { KIND } from "../../shared/journal/record-kinds.ts";

export const KIND_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
