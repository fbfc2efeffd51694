// What an export covers: one incident, a time range, or both, narrowed by any of the journal list's filters (kind,
// profile, outcome, text), so the console's export is what its filtered list shows. A time range alone is turned into
// a seq range, so the export is contiguous (every record between two points) and its whole chain can be checked.
import { LifeboatError } from "../../shared/errors.ts";
import type { JournalQuery, JournalReader } from "../journal/journal-reader.ts";
import type { JournalOutcome } from "../../shared/api/journal-schemas.ts";

export interface ExportScope {
  incident?: string;
  since?: string;
  until?: string;
  kind?: string;
  profile?: string;
  outcome?: JournalOutcome;
  text?: string;
}

function filterWords(s: ExportScope): string {
  return [
    s.kind ? `kind ${s.kind}` : "",
    s.profile ? `profile ${s.profile}` : "",
    s.outcome ? `outcome ${s.outcome}` : "",
    s.text ? `matching "${s.text}"` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

export interface ResolvedScope {
  query: JournalQuery;
  contiguous: boolean;
  chainHead: { seq: number; hash: string };
  describe: string;
  scope: {
    incident: string | null;
    since: string | null;
    until: string | null;
    filters?: { kind?: string; profile?: string; outcome?: JournalOutcome; text?: string };
  };
}

export async function resolveScope(reader: JournalReader, s: ExportScope): Promise<ResolvedScope> {
  const chainHead = await reader.tip();
  const filters = filterWords(s);
  const scope = {
    incident: s.incident ?? null,
    since: s.since ?? null,
    until: s.until ?? null,
    ...(filters
      ? {
          filters: {
            ...(s.kind ? { kind: s.kind } : {}),
            ...(s.profile ? { profile: s.profile } : {}),
            ...(s.outcome ? { outcome: s.outcome } : {}),
            ...(s.text ? { text: s.text } : {}),
          },
        }
      : {}),
  };
  if (s.incident && !(await reader.incident(s.incident)))
    throw new LifeboatError(
      "INCIDENT_NOT_FOUND",
      `There is no incident ${s.incident} in this journal.`,
      "List incidents with: lifeboat journal list --kind incident.open",
    );
  if (filters) {
    const range = [s.since ? `from ${s.since}` : "", s.until ? `until ${s.until}` : ""].filter(Boolean).join(" ");
    return {
      query: {
        ...(s.incident ? { incident: s.incident } : {}),
        ...(s.kind ? { kind: s.kind } : {}),
        ...(s.profile ? { profile: s.profile } : {}),
        ...(s.outcome ? { outcome: s.outcome } : {}),
        ...(s.text ? { text: s.text } : {}),
        ...(s.since ? { since: s.since } : {}),
        ...(s.until ? { until: s.until } : {}),
        toSeq: chainHead.seq,
      },
      contiguous: false,
      chainHead,
      describe: `${s.incident ? `incident ${s.incident}` : "records"}: ${filters}${range ? ` ${range}` : ""}`,
      scope,
    };
  }
  if (s.incident) {
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
