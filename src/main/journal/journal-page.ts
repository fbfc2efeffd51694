// A page of the filtered journal at any position, for a virtualized list over a million records: `total` sizes the
// list, `offset` is the row the page starts at (the reader slices its in-memory index there, so any row is cheap).
import type { JournalQuery, JournalReader, QueryResult } from "./journal-reader.ts";

export interface PageRequest extends JournalQuery {
  offset?: number;
  limit?: number;
  newest?: boolean;
}

export async function journalPage(reader: JournalReader, req: PageRequest): Promise<QueryResult & { offset: number }> {
  const { offset = 0, limit = 100, newest, ...filter } = req;
  if (newest) {
    const r = await reader.query({ ...filter, limit, newest: true });
    return { ...r, offset: Math.max(0, r.total - r.records.length) };
  }
  return { ...(await reader.query({ ...filter, offset, limit })), offset };
}
