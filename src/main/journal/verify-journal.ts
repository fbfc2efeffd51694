// Checks a journal folder end to end, reading only (safe on a copy, or on a journal another process is writing).
// Streams the segments with bounded memory and names each problem by what it looks like: a record edited in place,
// records missing, records out of order, a record inserted (a seq that appears twice), the chain broken (a record
// rewritten with a fresh hash but its successor not), the tail truncated (the head anchor names a record that is gone).
import type { JournalAnchor, JournalProblem, JournalVerifyResult } from "../../shared/api/channels/journal-channels.ts";
import { GENESIS_PREV, KIND } from "./record.ts";
import { checkLine } from "./canonical.ts";
import { readHead } from "./head-file.ts";
import { resolveJournalDir } from "./journal-paths.ts";
import { listSegments, readSegmentLines } from "./segment-lines.ts";

const WINDOW = 4096;
const MAX_PROBLEMS = 1000;

/** Parses "seq:hash" (the form `journal verify` prints) into an anchor. */
export function parseAnchor(text: string): JournalAnchor | undefined {
  const m = /^#?(\d+)[:=]([0-9a-f]{64})$/i.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: (m[2] as string).toLowerCase() } : undefined;
}

export async function verifyJournal(
  dirOption?: string,
  opts: { anchors?: JournalAnchor[] } = {},
): Promise<JournalVerifyResult> {
  const dir = resolveJournalDir(dirOption);
  const segments = await listSegments(dir);
  const problems: JournalProblem[] = [];
  const warnings: string[] = [];
  let dropped = 0;
  const problem = (p: JournalProblem) => (problems.length < MAX_PROBLEMS ? problems.push(p) : dropped++);

  // Anchors to check: the head file's, plus any the caller kept elsewhere.
  const head = readHead(dir);
  const anchors: (JournalAnchor & { source: string })[] = (opts.anchors ?? []).map((a) => ({
    ...a,
    source: "the given anchor",
  }));
  if (head.state === "ok") anchors.push({ seq: head.head.seq, hash: head.head.hash, source: "the head file" });
  const anchorSeqs = new Set(anchors.map((a) => a.seq));
  const seenAtAnchor = new Map<number, string[]>();

  const window = new Map<number, string[]>();
  const missing: [number, number][] = [];
  let maxSeq = 0;
  let firstSeq: number | undefined;
  let lastHash: string | undefined;
  let records = 0;

  const fillMissing = (seq: number): boolean => {
    for (let i = 0; i < missing.length; i++) {
      const [a, b] = missing[i]!;
      if (seq < a || seq > b) continue;
      missing.splice(
        i,
        1,
        ...(
          [
            [a, seq - 1],
            [seq + 1, b],
          ] as [number, number][]
        ).filter(([x, y]) => x <= y),
      );
      return true;
    }
    return false;
  };

  for (let si = 0; si < segments.length; si++) {
    const seg = segments[si]!;
    let lineNo = 0;
    const r = await readSegmentLines(seg.path, 0, ({ line }) => {
      lineNo++;
      const where = { segment: seg.name, line: lineNo };
      const c = checkLine(line);
      if (!c.ok && !c.record) {
        problem({ kind: "unparseable", message: `${seg.name} line ${lineNo} is not a journal record.`, ...where });
        return;
      }
      const rec = c.record!;
      const seq = rec.seq;
      records++;
      firstSeq ??= seq;
      if (!c.ok) problem({ kind: "edited", seq, message: `Record #${seq} was edited: ${c.message}.`, ...where });
      if (rec.kind === KIND.anchorMismatch)
        problem({
          kind: "recorded-tampering",
          seq,
          message: `Record #${seq} says the journal was found cut or rewritten when it was opened: ${rec.summary}`,
          ...where,
        });
      if (rec.kind === KIND.tornTail) warnings.push(`Record #${seq}: ${rec.summary}`);
      if (anchorSeqs.has(seq)) seenAtAnchor.set(seq, [...(seenAtAnchor.get(seq) ?? []), rec.hash]);

      const dup = window.get(seq);
      if (dup) {
        problem({
          kind: "inserted",
          seq,
          message: `Record #${seq} appears twice: one of them was inserted.`,
          ...where,
        });
        dup.push(rec.hash);
        return;
      }
      if (seq > maxSeq) {
        if (seq > maxSeq + 1) missing.push([maxSeq + 1, seq - 1]);
        maxSeq = seq;
        lastHash = rec.hash;
      } else if (fillMissing(seq)) {
        problem({
          kind: "reordered",
          seq,
          message: `Record #${seq} is out of order (it comes after #${maxSeq}).`,
          ...where,
        });
      } else {
        problem({
          kind: "inserted",
          seq,
          message: `Record #${seq} appears again, out of order: it was inserted or duplicated.`,
          ...where,
        });
      }
      if (seq === 1 && rec.prev !== GENESIS_PREV) {
        problem({
          kind: "chain-broken",
          seq,
          message: "Record #1 does not start the chain (its prev is not 64 zeros).",
          ...where,
        });
      } else if (seq > 1) {
        const before = window.get(seq - 1);
        if (before && !before.includes(rec.prev)) {
          problem({
            kind: "chain-broken",
            seq,
            message: `Record #${seq} does not link to record #${seq - 1}: one of them was rewritten.`,
            ...where,
          });
        }
      }
      window.set(seq, [rec.hash]);
      if (window.size > WINDOW) window.delete(window.keys().next().value as number);
    });
    if (r.tornBytes > 0) {
      if (si === segments.length - 1) {
        warnings.push(
          `${seg.name} ends in ${r.tornBytes} bytes of an interrupted write; they are set aside the next time the journal is opened for writing.`,
        );
      } else {
        problem({
          kind: "unparseable",
          segment: seg.name,
          message: `${seg.name} ends in ${r.tornBytes} bytes that are not a complete record, but it is not the last segment.`,
        });
      }
    }
  }
  for (const [a, b] of missing) {
    problem({
      kind: "missing",
      seq: a,
      message: a === b ? `Record #${a} is missing.` : `Records #${a} to #${b} are missing (${b - a + 1}).`,
    });
  }

  if (head.state === "missing" && records > 0) {
    problem({
      kind: "anchor-missing",
      message: "The head file is missing, so truncation of the journal's tail cannot be ruled out.",
    });
  } else if (head.state === "invalid") {
    problem({
      kind: "anchor-missing",
      message: "The head file is unreadable, so truncation of the journal's tail cannot be ruled out.",
    });
  }
  for (const a of anchors) {
    const found = seenAtAnchor.get(a.seq);
    if (!found) {
      if (a.seq > maxSeq)
        problem({
          kind: "truncated",
          seq: a.seq,
          message: `The journal ends at #${maxSeq}, but ${a.source} names record #${a.seq}: the tail was cut off.`,
        });
      else
        problem({
          kind: "anchor-mismatch",
          seq: a.seq,
          message: `Record #${a.seq}, named by ${a.source}, is not in the journal.`,
        });
    } else if (!found.includes(a.hash)) {
      problem({
        kind: "anchor-mismatch",
        seq: a.seq,
        message: `Record #${a.seq} does not have the hash ${a.source} names: the journal was rewritten from there on.`,
      });
    }
  }
  const headSeq = head.state === "ok" ? head.head.seq : head.state === "empty" ? 0 : undefined;
  if (headSeq !== undefined && maxSeq > headSeq + 8192) {
    warnings.push(`The head file names #${headSeq}, far behind the last record #${maxSeq}.`);
  }
  if (dropped) warnings.push(`${dropped} further problems were not listed.`);

  return {
    ok: problems.length === 0,
    dir,
    records,
    segments: segments.length,
    ...(firstSeq !== undefined ? { firstSeq, lastSeq: maxSeq } : {}),
    ...(lastHash ? { lastHash } : {}),
    ...(head.state === "ok" ? { head: { seq: head.head.seq, hash: head.head.hash } } : {}),
    problems,
    warnings,
  };
}
