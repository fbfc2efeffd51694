// What an export covers: one incident, a time range, or both. A time range without an incident is turned into a seq
// range, so the export is contiguous (every record between two points) and its whole chain can be checked.
import { LifeboatError } from "../../shared/errors.ts";
import type { JournalQuery, JournalReader } from "../journal/journal-reader.ts";

export interface ExportScope {
  incident?: string;
  since?: string;
  until?: string;
}

export interface ResolvedScope {
  query: JournalQuery;
  contiguous: boolean;
  chainHead: { seq: number; hash: string };
  describe: string;
  scope: { incident: string | null; since: string | null; until: string | null };
}

export async function resolveScope(reader: JournalReader, s: ExportScope): Promise<ResolvedScope> {
  const chainHead = await reader.tip();
  const scope = { incident: s.incident ?? null, since: s.since ?? null, until: s.until ?? null };
  if (s.incident) {
    if (!(await reader.incident(s.incident)))
      throw new LifeboatError(
        "INCIDENT_NOT_FOUND",
        `There is no incident ${s.incident} in this journal.`,
        "List incidents with: lifeboat journal list --kind incident.open",
      );
    const range = [s.since ? `from ${s.since}` : "", s.until ? `until ${s.until}` : ""].filter(Boolean).join(" ");
    return {
      query: {
        incident: s.incident,
        ...(s.since ? { since: s.since } : {}),
        ...(s.until ? { until: s.until } : {}),
        toSeq: chainHead.seq,
      },
      contiguous: false,
      chainHead,
      describe: `incident ${s.incident}${range ? ` ${range}` : ""}`,
      scope,
    };
  }
  const timeQuery = {
    ...(s.since ? { since: s.since } : {}),
    ...(s.until ? { until: s.until } : {}),
    toSeq: chainHead.seq,
  };
  const first = (await reader.query({ ...timeQuery, limit: 1 })).records[0];
  const last = (await reader.query({ ...timeQuery, limit: 1, newest: true })).records[0];
  const describe =
    s.since || s.until
      ? `records ${s.since ? `from ${s.since} ` : ""}${s.until ? `until ${s.until}` : ""}`.trim()
      : "the whole journal";
  return {
    // Nothing matched: an empty seq range.
    query: first && last ? { fromSeq: first.seq, toSeq: last.seq } : { fromSeq: 1, toSeq: 0 },
    contiguous: true,
    chainHead,
    describe,
    scope,
  };
}
