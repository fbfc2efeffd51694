// Copies a contiguous range of the local journal into the backup store, byte for byte, so the records a run made
// survive the machine that made them and can be checked anywhere: every line keeps its own hash and its `prev`, so
// the chain inside a chunk, and between chunks that follow each other, verifies with the journal's own rules
// (verify-store-journal.ts, or the jq/sha256sum recipe in the journal's README-format.md).
import { LifeboatError } from "../../shared/errors.ts";
import { hashOfLine } from "../journal/canonical.ts";
import type { JournalReader } from "../journal/journal-reader.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { stateKeys } from "./state-keys.ts";

export interface JournalChunkRef {
  /** Names the journal the records come from: the first 16 hex of its record #1's hash. */
  journalId: string;
  key: string;
  firstSeq: number;
  lastSeq: number;
  records: number;
  /** The hash of the last record copied: an anchor for checking the local journal against the store later. */
  lastHash: string;
}

/** The id of a journal: the start of its genesis record's hash, stable for the journal's life and unique to it. */
export async function journalIdOf(reader: Pick<JournalReader, "lines">): Promise<string> {
  for await (const l of reader.lines({ fromSeq: 1, toSeq: 1 })) return hashOfLine(l.line).slice(0, 16);
  throw new LifeboatError("INTERNAL", "the journal has no first record to name it by");
}

/** Copies records fromSeq..toSeq (inclusive) of the journal to the profile's state folder in the store. */
export async function copyJournalRange(
  store: BackupStore,
  profile: string,
  reader: Pick<JournalReader, "lines">,
  fromSeq: number,
  toSeq: number,
): Promise<JournalChunkRef> {
  const lines: string[] = [];
  let expected = fromSeq;
  for await (const l of reader.lines({ fromSeq, toSeq })) {
    if (l.seq !== expected)
      throw new LifeboatError(
        "JOURNAL_TAMPERED",
        `journal record #${expected} is missing locally, so records ${fromSeq}-${toSeq} cannot be copied as an unbroken chain`,
        "Run `lifeboat journal verify` to see what happened to the local journal.",
      );
    lines.push(l.line);
    expected++;
  }
  if (expected !== toSeq + 1)
    throw new LifeboatError(
      "JOURNAL_TAMPERED",
      `the journal ends at #${expected - 1}, before #${toSeq}`,
      "Run `lifeboat journal verify`.",
    );
  const journalId = await journalIdOf(reader);
  const key = stateKeys.journalChunk(profile, journalId, fromSeq, toSeq);
  await store.putSmall(key, lines.join("\n") + "\n", "application/x-ndjson");
  return {
    journalId,
    key,
    firstSeq: fromSeq,
    lastSeq: toSeq,
    records: lines.length,
    lastHash: hashOfLine(lines.at(-1)!),
  };
}
