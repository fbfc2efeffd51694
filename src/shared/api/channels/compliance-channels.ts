import { z } from "zod";
import { ComplianceReport, ControlSetName } from "../../compliance/compliance-report.ts";
import { HIPAA_164_308_A_7 } from "../../compliance/controls.ts";
import { channel, IsoTime, ProfileName } from "../common-schemas.ts";
import { JournalRecord } from "../journal-schemas.ts";

const Path = z.string().min(1).max(4096);

/** What a report covers and what it is judged against. */
const ReportScope = {
  /** The named profiles, or all. */
  profiles: z.array(ProfileName).max(200).optional(),
  /** Default: twelve months before `to`. */
  from: IsoTime.optional(),
  /** Default: now. */
  to: IsoTime.optional(),
  controlSet: ControlSetName.default("hipaa"),
  /** Targets for every profile instead of each profile's own. */
  rtoMinutes: z.number().positive().max(525_600).optional(),
  rpoMinutes: z.number().positive().max(525_600).optional(),
  /** Each store's time limit. */
  timeoutMs: z.number().int().min(1000).max(600_000).optional(),
  /** The terminal only: journal folders of practice worlds to read training from (default: this machine's sandbox). */
  practiceJournals: z.array(Path).max(20).optional(),
};

const ReportFormat = z.enum(["json", "md", "html", "pdf"]);
const DocFormat = z.enum(["md", "html"]);

export const complianceChannels = {
  "compliance.report": channel({
    doc:
      "The compliance report: each checklist item and each §164.308(a)(7) specification (or AWS Backup Audit Manager's controls) judged PASS, FAIL or NOT EVIDENCED from evidence only " +
      "(journal records, manifests, what the stores hold), each verdict citing its evidence, and what could not be seen.",
    request: z.object(ReportScope).strict(),
    result: ComplianceReport,
  }),
  "compliance.export": channel({
    doc:
      'The report as json (verifiable on its own: the evidence inside), md, html or pdf (printed by Chromium). destination "text" returns it (a PDF as base64); "file" writes a new file ' +
      "into the exports folder (the terminal may name it with out). The export is journaled with its sha256.",
    request: z
      .object({
        ...ReportScope,
        format: ReportFormat,
        destination: z.enum(["text", "file"]).default("file"),
        /** The terminal only (--out): the file to write. */
        out: Path.optional(),
      })
      .strict(),
    result: z.object({
      format: ReportFormat,
      bytes: z.number(),
      sha256: z.string(),
      file: z.string().optional(),
      text: z.string().optional(),
      base64: z.string().optional(),
      summary: ComplianceReport.shape.summary,
      period: ComplianceReport.shape.period,
    }),
  }),
  "compliance.verify": channel({
    doc: "Verifies a report's JSON with nothing but the file: every cited record's hash and chain, every manifest's sha256, every citation, and every verdict derived again from the evidence.",
    request: z.object({ file: Path }).strict(),
    result: z.object({
      ok: z.boolean(),
      file: z.string(),
      journals: z.number(),
      records: z.number(),
      manifests: z.number(),
      items: z.number(),
      rederived: z.boolean(),
      summary: ComplianceReport.shape.summary.optional(),
      period: ComplianceReport.shape.period.optional(),
      problems: z.array(z.object({ kind: z.string(), message: z.string() })),
    }),
  }),
  "compliance.attest": channel({
    doc: "Records an operator's attestation for a control Lifeboat has no evidence of its own for (the applications and data criticality analysis): a statement, and from the terminal a document whose sha256 is journaled.",
    request: z
      .object({
        control: z.enum(HIPAA_164_308_A_7.map((c) => c.id) as [string, ...string[]]),
        statement: z.string().min(1).max(10_000),
        profile: ProfileName.optional(),
        /** The terminal only: the analysis document (its name, size and sha256 are recorded, not its content). */
        document: Path.optional(),
      })
      .strict(),
    result: JournalRecord,
  }),
};

export const runbookExportChannels = {
  "runbooks.export": channel({
    doc:
      'Every runbook (or the ones named) as a document with its steps, checks, manual equivalents and checklist, one journal record (runbook.export: version, sha256) each. destination "text" returns ' +
      'the documents; "file" writes them into the exports folder\'s runbooks/ (the terminal may name the folder with out).',
    request: z
      .object({
        runbooks: z
          .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/))
          .max(50)
          .optional(),
        format: DocFormat.default("md"),
        destination: z.enum(["text", "file"]).default("file"),
        out: Path.optional(),
      })
      .strict(),
    result: z.object({
      documents: z.array(
        z.object({
          runbook: z.string(),
          version: z.string(),
          title: z.string(),
          format: DocFormat,
          sha256: z.string(),
          bytes: z.number(),
          file: z.string().optional(),
          text: z.string().optional(),
          journalSeq: z.number().optional(),
        }),
      ),
    }),
  }),
};
