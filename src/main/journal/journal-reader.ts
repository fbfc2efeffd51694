// Reading a journal: filtered queries (answered from the sidecar index) and streaming every matching line in seq order
// with bounded memory (for exports). Records always come from the segment files themselves, never from the index.
import type { JournalRecord, JournalOutcome, IncidentInfo } from "../../shared/api/journal-schemas.ts";
import { open, type FileHandle } from "node:fs/promises";
import { LifeboatError } from "../../shared/errors.ts";
import { readHead } from "./head-file.ts";
import { JournalIndex, type IndexFilter } from "./journal-index.ts";
import { normalizeNeedle, SEARCH_TEXT_MAX, searchTextOf } from "./search-text.ts";

export interface JournalQuery {
  incident?: string;
  /** Exact kind, or a prefix ending in "." or "*" ("backup.", "neon.*"). */
  kind?: string;
  profile?: string;
  outcome?: JournalOutcome;
  /** Case-insensitive substring of kind, outcome, summary, incident, profile, actor and detail values. */
  text?: string;
  since?: string | Date;
  until?: string | Date;
  fromSeq?: number;
  toSeq?: number;
}

export interface PageQuery extends JournalQuery {
  /** Default 100. */
  limit?: number;
  /** Skip this many matches first (oldest first; ignored with `newest`). */
  offset?: number;
  /** Return the last `limit` matches (still oldest first) instead of the first. */
  newest?: boolean;
}

export interface QueryResult {
  total: number;
  records: JournalRecord[];
}

export interface JournalLine {
  seq: number;
  line: string;
}

export interface JournalReader {
  readonly dir: string;
  query(q?: PageQuery): Promise<QueryResult>;
  get(seq: number): Promise<JournalRecord | undefined>;
  /** Every matching record's exact line, in seq order, read in coalesced chunks. */
  lines(q?: JournalQuery): AsyncIterable<JournalLine>;
  /** The same, a chunk (up to a few MB of lines) at a time: cheaper per record for exports. */
  lineChunks(q?: JournalQuery): AsyncIterable<JournalLine[]>;
  count(q?: JournalQuery): Promise<number>;
  incidents(): Promise<IncidentInfo[]>;
  incident(id: string): Promise<IncidentInfo | undefined>;
  /** The last record the journal holds right now ({seq: 0} when empty): the chain head an export is cut at. */
  tip(): Promise<{ seq: number; hash: string }>;
  /** Warnings about the index (rebuilt, and why). */
  readonly indexWarnings: string[];
}

function toMs(v: string | Date | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = v instanceof Date ? v.getTime() : Date.parse(v);
  if (!Number.isFinite(ms))
    throw new LifeboatError(
      "USAGE",
      `--${name} "${String(v)}" is not a date.`,
      "Use an ISO 8601 time such as 2026-01-17T14:30:00Z.",
    );
  return ms;
}

const GAP = 64 * 1024;
const MAX_READ = 4 * 1024 * 1024;

export class IndexedJournalReader implements JournalReader {
  private index: JournalIndex | undefined;
  private opening: Promise<JournalIndex> | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  get indexWarnings(): string[] {
    return this.index?.warnings ?? [];
  }

  private async ix(): Promise<JournalIndex> {
    if (!this.index) {
      this.opening ??= JournalIndex.open(this.dir);
      this.index = await this.opening;
    } else {
      await this.refresh(this.index);
    }
    return this.index;
  }

  /**
   * Brings the index up to date with everything written before this call. Callers that arrive while a refresh runs
   * share one refresh started after it ends, so a crowd of queries at once (`check` over 100 profiles) lists the
   * folder twice, not once per query, and none of them misses a record written before it asked.
   */
  private refresh(index: JournalIndex): Promise<void> {
    if (!this.refreshing) {
      this.refreshing = index.refresh().finally(() => (this.refreshing = undefined));
      return this.refreshing;
    }
    this.refreshAgain ??= this.refreshing
      .catch(() => undefined)
      .then(() => {
        this.refreshAgain = undefined;
        return this.refresh(index);
      });
    return this.refreshAgain;
  }

  private async match(q: JournalQuery): Promise<{ ix: JournalIndex; idx: Uint32Array }> {
    const ix = await this.ix();
    const f: IndexFilter = {
      ...(q.incident !== undefined ? { incident: q.incident } : {}),
      ...(q.kind !== undefined ? { kind: q.kind } : {}),
      ...(q.profile !== undefined ? { profile: q.profile } : {}),
      ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
      ...(q.fromSeq !== undefined ? { fromSeq: q.fromSeq } : {}),
      ...(q.toSeq !== undefined ? { toSeq: q.toSeq } : {}),
    };
    const since = toMs(q.since, "since");
    const until = toMs(q.until, "until");
    if (since !== undefined) f.sinceMs = since;
    if (until !== undefined) f.untilMs = until;
    let idx = ix.filter(f);
    if (q.text) {
      const needle = normalizeNeedle(q.text);
      const hits = await ix.searchText(needle);
      await this.searchClipped(ix, idx, hits, needle);
      let k = 0;
      for (let i = 0; i < idx.length; i++) if (hits[idx[i] as number]) idx[k++] = idx[i] as number;
      idx = idx.subarray(0, k);
    }
    return { ix, idx };
  }

  async count(q: JournalQuery = {}): Promise<number> {
    return (await this.match(q)).idx.length;
  }

  async query(q: PageQuery = {}): Promise<QueryResult> {
    const { idx } = await this.match(q);
    const limit = Math.max(0, q.limit ?? 100);
    const offset = Math.max(0, q.offset ?? 0);
    const page = q.newest ? idx.subarray(Math.max(0, idx.length - limit)) : idx.subarray(offset, offset + limit);
    const records: JournalRecord[] = [];
    for await (const chunk of this.readEntries(page))
      for (const l of chunk) records.push(JSON.parse(l.line) as JournalRecord);
    return { total: idx.length, records };
  }

  async get(seq: number): Promise<JournalRecord | undefined> {
    return (await this.query({ fromSeq: seq, toSeq: seq, limit: 1 })).records[0];
  }

  async *lines(q: JournalQuery = {}): AsyncIterable<JournalLine> {
    for await (const chunk of this.lineChunks(q)) yield* chunk;
  }

  async *lineChunks(q: JournalQuery = {}): AsyncIterable<JournalLine[]> {
    const { idx } = await this.match(q);
    yield* this.readEntries(idx);
  }

  async tip(): Promise<{ seq: number; hash: string }> {
    const ix = await this.ix();
    return ix.count ? { seq: ix.lastSeq, hash: ix.lastHash } : { seq: 0, hash: "0".repeat(64) };
  }

  async incidents(): Promise<IncidentInfo[]> {
    return (await this.ix()).incidents();
  }

  async incident(id: string): Promise<IncidentInfo | undefined> {
    return (await this.ix()).incident(id);
  }

  /**
   * The index holds only the first SEARCH_TEXT_MAX characters of each record's search text. Records cut there and not
   * matched yet are read in full and searched whole, so a word deep in a long record (a pg_restore error, a long list
   * of tables) is still found. Such records are few; the rest of the journal is never read.
   */
  private async searchClipped(ix: JournalIndex, idx: Uint32Array, hits: Uint8Array, needle: string): Promise<void> {
    const clipped = idx.filter((e) => !hits[e] && ix.textLengthAt(e) >= SEARCH_TEXT_MAX);
    let k = 0;
    for await (const chunk of this.readEntries(clipped))
      for (const l of chunk) {
        const e = clipped[k++] as number;
        if (searchTextOf(JSON.parse(l.line) as JournalRecord, Infinity).includes(needle)) hits[e] = 1;
      }
  }

  /** Reads the lines of index entries, coalescing neighbours into one read; checks each line is the record expected. */
  private async *readEntries(idx: Uint32Array): AsyncIterable<JournalLine[]> {
    const ix = this.index!;
    const handles = new Map<number, FileHandle>();
    try {
      let i = 0;
      while (i < idx.length) {
        const e0 = idx[i] as number;
        const seg = ix.segmentNoAt(e0);
        const start = ix.offsetAt(e0);
        let end = start + ix.lengthAt(e0) + 1;
        let j = i;
        while (j + 1 < idx.length) {
          const e = idx[j + 1] as number;
          const off = ix.offsetAt(e);
          const eEnd = off + ix.lengthAt(e) + 1;
          if (ix.segmentNoAt(e) !== seg || off - end > GAP || eEnd - start > MAX_READ) break;
          end = eEnd;
          j++;
        }
        let fh = handles.get(seg);
        if (!fh) {
          fh = await open(ix.segmentPath(seg), "r");
          handles.set(seg, fh);
        }
        const buf = Buffer.allocUnsafe(end - start);
        const { bytesRead } = await fh.read(buf, 0, buf.length, start);
        const batch: JournalLine[] = [];
        for (let k = i; k <= j; k++) {
          const e = idx[k] as number;
          const from = ix.offsetAt(e) - start;
          const len = ix.lengthAt(e);
          const seq = ix.seqAt(e);
          const line = from + len <= bytesRead ? buf.toString("utf8", from, from + len) : "";
          if (!line.startsWith(`{"v":1,"seq":${seq},`)) {
            throw new LifeboatError(
              "JOURNAL_TAMPERED",
              `Journal record #${seq} is not where the index says it is: a segment was edited after it was indexed.`,
              "Run `lifeboat journal verify` to see what changed; the index is rebuilt on the next open.",
            );
          }
          batch.push({ seq, line });
        }
        // One yield per chunk read: yielding per line costs more than the rest of the loop.
        yield batch;
        i = j + 1;
      }
    } finally {
      for (const fh of handles.values()) await fh.close();
    }
  }
}

/** The head file's anchor, if any. */
export function headAnchor(dir: string): { seq: number; hash: string } | undefined {
  const h = readHead(dir);
  return h.state === "ok" ? { seq: h.head.seq, hash: h.head.hash } : undefined;
}
