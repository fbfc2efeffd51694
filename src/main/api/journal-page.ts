// A page of the filtered journal at any position, for a virtualized list over a million records. The reader pages from
// a seq; a position becomes a seq by the fact that seqs are contiguous (unfiltered) or by binary search on counts
// (filtered: each count is answered from the in-memory index, so ~20 of them stay cheap).
import type { JournalQuery, JournalReader, QueryResult } from "../journal/journal-reader.ts";

export interface PageRequest extends JournalQuery {
  offset?: number;
  limit?: number;
  newest?: boolean;
}

const onlySeqBounds = (q: JournalQuery): boolean =>
  q.incident === undefined && q.kind === undefined && q.profile === undefined && q.outcome === undefined && q.text === undefined && q.since === undefined && q.until === undefined;

export async function journalPage(reader: JournalReader, req: PageRequest): Promise<QueryResult & { offset: number }> {
  const { offset = 0, limit = 100, newest, ...filter } = req;
  if (newest) {
    const r = await reader.query({ ...filter, limit, newest: true });
    return { ...r, offset: Math.max(0, r.total - r.records.length) };
  }
  if (offset === 0) return { ...(await reader.query({ ...filter, limit })), offset };
  const tip = (await reader.tip()).seq;
  const lo0 = filter.fromSeq ?? 1;
  const hi0 = Math.min(filter.toSeq ?? tip, tip);
  if (onlySeqBounds(filter)) {
    const seq = lo0 + offset;
    const r = await reader.query({ ...filter, fromSeq: seq, limit });
    if (!r.records.length || r.records[0]!.seq === seq) return { total: r.total + offset, records: r.records, offset };
  }
  // The smallest seq s with count(fromSeq..s) > offset is the seq of the record at position `offset`.
  let lo = lo0;
  let hi = hi0;
  const total = await reader.count(filter);
  if (offset >= total) return { total, records: [], offset };
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await reader.count({ ...filter, toSeq: mid })) > offset) hi = mid;
    else lo = mid + 1;
  }
  const r = await reader.query({ ...filter, fromSeq: lo, limit });
  return { total, records: r.records, offset };
}
