import { z } from "zod";
import { channel, IsoTime, ProfileName } from "../common-schemas.ts";
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

const ExportFormat = z.enum(["md", "html", "json", "csv"]);

const VerifyProblem = z.object({
  kind: z.string(),
  message: z.string(),
  seq: z.number().optional(),
  segment: z.string().optional(),
  line: z.number().optional(),
});

const ChainHead = z.object({ seq: z.number(), hash: z.string() });

/** A record kept elsewhere (an anchor `journal verify` printed): the journal must still hold it. */
const Anchor = z.string().regex(/^\d+:[0-9a-f]{64}$/, "is not an anchor <seq>:<64 hex> as journal verify prints it");

export const journalChannels = {
  "journal.query": channel({
    doc:
      "One page of matching records, oldest first. For a virtualized list: `total` sizes the list; `offset` is the position " +
      "of the first record in the filtered list (row i = offset i); or page by seq with fromSeq = last seq + 1. `newest` returns the last page.",
    request: JournalFilter.extend({
      offset: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(100000).optional(),
      newest: z.boolean().optional(),
    }).strict(),
    result: z.object({ total: z.number(), offset: z.number(), records: z.array(JournalRecord) }),
  }),
  "journal.get": channel({
    doc: "One record by seq (null when there is none).",
    request: z.object({ seq: z.number().int().min(1) }).strict(),
    result: JournalRecord.nullable(),
  }),
  "journal.show": channel({
    doc: "One record in full, with a check of its own hash. A number the journal does not hold is a USAGE error.",
    request: z.object({ seq: z.number().int().min(1) }).strict(),
    result: z.object({ record: JournalRecord, hashOk: z.boolean() }),
  }),
  "journal.verify": channel({
    doc:
      "Checks the whole hash chain and the head anchor, and that each anchor given is still there; names each problem (edited, missing, reordered, truncated…). " +
      "The check reads only; its outcome is then journaled (not in a journal opened only to be read).",
    request: z.object({ anchors: z.array(Anchor).max(100).optional() }).strict(),
    result: z.object({
      ok: z.boolean(),
      dir: z.string(),
      records: z.number(),
      segments: z.number(),
      firstSeq: z.number().optional(),
      lastSeq: z.number().optional(),
      lastHash: z.string().optional(),
      problems: z.array(VerifyProblem),
      warnings: z.array(z.string()),
    }),
  }),
  "journal.verifyExport": channel({
    doc: "Verifies a JSON export on its own, with nothing but the file: every record's hash, their order and chain, and the digest.",
    request: z.object({ file: z.string().min(1).max(4096) }).strict(),
    result: z.object({
      ok: z.boolean(),
      file: z.string(),
      records: z.number(),
      firstSeq: z.number().optional(),
      lastSeq: z.number().optional(),
      digest: z.string().optional(),
      chainHead: ChainHead.optional(),
      problems: z.array(VerifyProblem),
    }),
  }),
  "journal.export": channel({
    doc:
      'Exports the whole journal, an incident or a time range as md | html | json | csv. destination "text" returns the text ' +
      '(up to 8 MiB); "file" writes a new file (never replacing one) into the session\'s exports folder and returns its path; ' +
      '"stream" writes to the output the caller passed with the call (the terminal\'s stdout). The export itself is journaled ' +
      "with its digest (not from a journal opened only to be read).",
    request: z
      .object({
        format: ExportFormat,
        incident: z.string().max(64).optional(),
        since: IsoTime.optional(),
        until: IsoTime.optional(),
        destination: z.enum(["text", "file", "stream"]).default("text"),
        /** The terminal only (--out): the file to write. A window never chooses a path; refused from one. */
        out: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    result: z.object({
      format: ExportFormat,
      scope: z.string(),
      records: z.number(),
      bytes: z.number(),
      digest: z.string().optional(),
      chainHead: ChainHead,
      text: z.string().optional(),
      file: z.string().optional(),
    }),
  }),
};
