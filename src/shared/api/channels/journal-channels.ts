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

export const EXPORT_FORMATS = ["json", "md", "html", "csv"] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

export const JOURNAL_PROBLEMS = [
  "edited",
  "digest-mismatch",
  "missing",
  "reordered",
  "inserted",
  "chain-broken",
  "truncated",
  "unparseable",
  "anchor-missing",
  "anchor-mismatch",
  "recorded-tampering",
] as const;

/** One thing wrong with the chain, named by what it looks like, and where. */
export const JournalProblem = z.object({
  kind: z.enum(JOURNAL_PROBLEMS),
  message: z.string(),
  seq: z.number().optional(),
  segment: z.string().optional(),
  line: z.number().optional(),
});
export type JournalProblem = z.infer<typeof JournalProblem>;

/** A record's seq and hash: the chain's head, or an anchor quoted elsewhere so a complete re-hash is caught. */
export const JournalAnchor = z.object({ seq: z.number(), hash: z.string() });
export type JournalAnchor = z.infer<typeof JournalAnchor>;

export const JournalVerifyResult = z.object({
  ok: z.boolean(),
  dir: z.string(),
  records: z.number(),
  segments: z.number(),
  firstSeq: z.number().optional(),
  lastSeq: z.number().optional(),
  /** Hash of the record with the highest seq: quote it (with lastSeq) elsewhere to anchor the journal. */
  lastHash: z.string().optional(),
  head: JournalAnchor.optional(),
  problems: z.array(JournalProblem),
  warnings: z.array(z.string()),
});
export type JournalVerifyResult = z.infer<typeof JournalVerifyResult>;

/** A JSON export checked on its own, with nothing but the file. */
export const ExportVerifyResult = z.object({
  ok: z.boolean(),
  file: z.string(),
  records: z.number(),
  firstSeq: z.number().optional(),
  lastSeq: z.number().optional(),
  digest: z.string().optional(),
  chainHead: JournalAnchor.optional(),
  /** What the export says it covers (an incident, a time range), as its file states it. */
  scope: z.unknown().optional(),
  problems: z.array(JournalProblem),
});
export type ExportVerifyResult = z.infer<typeof ExportVerifyResult>;

export const ExportSummary = z.object({
  format: ExportFormat,
  scope: z.string(),
  records: z.number(),
  bytes: z.number(),
  /** sha256 over the exported record hashes (one per line): the same value for every format of the same scope. */
  digest: z.string().optional(),
  chainHead: JournalAnchor,
});
export type ExportSummary = z.infer<typeof ExportSummary>;

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
    result: JournalVerifyResult,
  }),
  "journal.verifyExport": channel({
    doc: "Verifies a JSON export on its own, with nothing but the file: every record's hash, their order and chain, and the digest.",
    request: z.object({ file: z.string().min(1).max(4096) }).strict(),
    result: ExportVerifyResult,
  }),
  "journal.export": channel({
    doc:
      "Exports the whole journal, an incident or a time range, narrowed by the same filters as journal.query (kind, profile, " +
      'outcome, text), as md | html | json | csv. destination "text" returns the text ' +
      '(up to 8 MiB); "file" writes a new file (never replacing one) into the session\'s exports folder and returns its path; ' +
      '"stream" writes to the output the caller passed with the call (the terminal\'s stdout). The export itself is journaled ' +
      "with its digest (not from a journal opened only to be read).",
    request: z
      .object({
        format: ExportFormat,
        ...JournalFilter.pick({
          incident: true,
          kind: true,
          profile: true,
          outcome: true,
          text: true,
          since: true,
          until: true,
        }).shape,
        destination: z.enum(["text", "file", "stream"]).default("text"),
        /** The terminal only (--out): the file to write. A window never chooses a path; refused from one. */
        out: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    result: ExportSummary.extend({ text: z.string().optional(), file: z.string().optional() }),
  }),
};
