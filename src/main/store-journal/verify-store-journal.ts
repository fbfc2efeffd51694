// Checks the journal records a profile's runs copied into the store: every line against its own hash and canonical
// form, the chain inside each chunk, and the link between chunks of the same journal that follow each other. Records
// between two chunks that were never copied (work on the laptop that was not a scheduled run) are a gap, reported but
// not a problem: the chain resumes at the next chunk's `prev`, which can be checked against the local journal.
import { checkLine } from "../journal/canonical.ts";
import type { JournalProblem } from "../../shared/api/channels/journal-channels.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { CHUNK_NAME, stateKeys } from "./state-keys.ts";

export interface StoreJournalReport {
  ok: boolean;
  chunks: number;
  records: number;
  /** Chunks whose first record's prev is the previous chunk's last hash (checked). */
  links: number;
  /** Ranges of seqs between chunks of one journal that are not in the store. */
  gaps: { journalId: string; fromSeq: number; toSeq: number }[];
  journals: { journalId: string; firstSeq: number; lastSeq: number; lastHash: string }[];
  problems: (JournalProblem & { key: string })[];
}

interface Chunk {
  key: string;
  journalId: string;
  records: JournalRecord[];
}

function checkChunk(key: string, journalId: string, text: string, problems: StoreJournalReport["problems"]): Chunk {
  const records: JournalRecord[] = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    const c = checkLine(line);
    if (!c.ok) {
      problems.push({
        key,
        kind: c.reason === "unparseable" ? "unparseable" : "edited",
        ...(c.record ? { seq: c.record.seq } : {}),
        message: `${key}: ${c.record ? `record #${c.record.seq}: ` : ""}${c.message}`,
      });
      if (!c.record) continue;
    }
    const r = c.ok ? c.record : c.record!;
    const prev = records.at(-1);
    if (prev && r.seq !== prev.seq + 1)
      problems.push({ key, kind: "missing", seq: r.seq, message: `${key}: #${r.seq} follows #${prev.seq}` });
    else if (prev && r.prev !== prev.hash)
      problems.push({
        key,
        kind: "chain-broken",
        seq: r.seq,
        message: `${key}: #${r.seq} does not chain to #${prev.seq}`,
      });
    records.push(r);
  }
  const m = CHUNK_NAME.exec(key);
  if (m && records.length && (Number(m[2]) !== records[0]!.seq || Number(m[3]) !== records.at(-1)!.seq))
    problems.push({
      key,
      kind: "missing",
      message: `${key} is named for #${Number(m[2])}-#${Number(m[3])} but holds #${records[0]!.seq}-#${records.at(-1)!.seq}`,
    });
  return { key, journalId, records };
}

export async function verifyStoreJournal(store: BackupStore, profile: string): Promise<StoreJournalReport> {
  const problems: StoreJournalReport["problems"] = [];
  const objects = (await store.list(stateKeys.journalDir(profile))).filter((o) => CHUNK_NAME.test(o.key));
  const chunks = await Promise.all(
    objects.map(async (o) =>
      checkChunk(o.key, CHUNK_NAME.exec(o.key)![1]!, (await store.getSmall(o.key)).toString("utf8"), problems),
    ),
  );
  const byJournal = new Map<string, Chunk[]>();
  for (const c of chunks) if (c.records.length) byJournal.set(c.journalId, [...(byJournal.get(c.journalId) ?? []), c]);
  let links = 0;
  const gaps: StoreJournalReport["gaps"] = [];
  const journals: StoreJournalReport["journals"] = [];
  for (const [journalId, list] of byJournal) {
    list.sort((a, b) => a.records[0]!.seq - b.records[0]!.seq);
    for (let i = 1; i < list.length; i++) {
      const before = list[i - 1]!.records.at(-1)!;
      const first = list[i]!.records[0]!;
      if (first.seq === before.seq + 1) {
        if (first.prev === before.hash) links++;
        else
          problems.push({
            key: list[i]!.key,
            kind: "chain-broken",
            seq: first.seq,
            message: `${list[i]!.key}: #${first.seq} does not chain to #${before.seq} in ${list[i - 1]!.key}`,
          });
      } else if (first.seq > before.seq + 1) {
        gaps.push({ journalId, fromSeq: before.seq + 1, toSeq: first.seq - 1 });
      } else {
        // Overlapping chunks must agree on every record they share.
        const theirs = new Map(list[i - 1]!.records.map((r) => [r.seq, r.hash]));
        for (const r of list[i]!.records)
          if (theirs.has(r.seq) && theirs.get(r.seq) !== r.hash)
            problems.push({
              key: list[i]!.key,
              kind: "inserted",
              seq: r.seq,
              message: `${list[i]!.key}: #${r.seq} differs from the same record in ${list[i - 1]!.key}`,
            });
      }
    }
    const last = list.at(-1)!.records.at(-1)!;
    journals.push({ journalId, firstSeq: list[0]!.records[0]!.seq, lastSeq: last.seq, lastHash: last.hash });
  }
  return {
    ok: problems.length === 0,
    chunks: chunks.length,
    records: chunks.reduce((a, c) => a + c.records.length, 0),
    links,
    gaps,
    journals,
    problems,
  };
}
