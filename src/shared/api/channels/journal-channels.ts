import { z } from "zod";
import { channel, Empty, IsoTime, ProfileName } from "../common-schemas.ts";
import { JournalOutcome, JournalRecord } from "../journal-schemas.ts";

export const JournalFilter = z
  .object({
    incident: z.string().max(64).optional(),
    /** Exact kind, or a prefix ending in "." or "*" ("backup.", "neon.*"). */
    kind: z.string().max(100).optional(),
    profile: ProfileName.optional(),
    outcome: JournalOutcome.optional(),
    /** Case-insensitive substring of kind, outcome, summary, incident, profile, actor and detail values. */
    text: z.string().max(200).optional(),
    since: IsoTime.optional(),
    until: IsoTime.optional(),
    fromSeq: z.number().int().min(0).optional(),
    toSeq: z.number().int().min(0).optional(),
  })
  .strict();

export const journalChannels = {
  "journal.query": channel({
    doc:
      "One page of matching records, oldest first. For a virtualized list: `total` sizes the list; `offset` is the position " +
      "of the first record in the filtered list (row i = offset i); or page by seq with fromSeq = last seq + 1. `newest` returns the last page.",
    request: JournalFilter.extend({
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      newest: z.boolean().optional(),
    }).strict(),
    result: z.object({ total: z.number(), offset: z.number(), records: z.array(JournalRecord) }),
  }),
  "journal.get": channel({
    doc: "One record by seq (null when there is none).",
    request: z.object({ seq: z.number().int().min(1) }).strict(),
    result: JournalRecord.nullable(),
  }),
  "journal.verify": channel({
    doc: "Checks the whole hash chain and the head anchor, read-only; names each problem (edited, missing, reordered, truncated…).",
    request: Empty,
    result: z.object({
      ok: z.boolean(),
      dir: z.string(),
      records: z.number(),
      segments: z.number(),
      firstSeq: z.number().optional(),
      lastSeq: z.number().optional(),
      lastHash: z.string().optional(),
      problems: z.array(
        z.object({
          kind: z.string(),
          message: z.string(),
          seq: z.number().optional(),
          segment: z.string().optional(),
          line: z.number().optional(),
        }),
      ),
      warnings: z.array(z.string()),
    }),
  }),
  "journal.export": channel({
    doc:
      'Exports the whole journal, an incident or a time range as md | html | json | csv. destination "text" returns the text ' +
      '(up to 8 MiB); "file" writes it into the exports folder and returns the path. The export itself is journaled with its digest.',
    request: z
      .object({
        format: z.enum(["md", "html", "json", "csv"]),
        incident: z.string().max(64).optional(),
        since: IsoTime.optional(),
        until: IsoTime.optional(),
        destination: z.enum(["text", "file"]).default("text"),
      })
      .strict(),
    result: z.object({
      format: z.enum(["md", "html", "json", "csv"]),
      scope: z.string(),
      records: z.number(),
      bytes: z.number(),
      digest: z.string().optional(),
      chainHead: z.object({ seq: z.number(), hash: z.string() }),
      text: z.string().optional(),
      file: z.string().optional(),
    }),
  }),
};
