// The compliance report's shape: what the console shows, what the CLI prints, and the body of every export. Each
// verdict names its evidence: journal records by journal, sequence number and hash, manifests by id and digest.
import { z } from "zod";
import { CONTROL_SETS } from "./controls.ts";

export const REPORT_FORMAT = "lifeboat-compliance-report/1";
/**
 * The version of the rules that turn evidence into verdicts and their words: a report is re-derived only by the same
 * rules. 2: times, durations and sizes written by src/shared/format.ts.
 */
export const RULES_VERSION = "lifeboat-compliance-rules/2";

export const VERDICTS = ["PASS", "FAIL", "NOT_EVIDENCED"] as const;
export const Verdict = z.enum(VERDICTS);
export type Verdict = z.infer<typeof Verdict>;

export const ControlSetName = z.enum(CONTROL_SETS);

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
/** A journal is named by the first 16 hex of its record #1's hash (as in the store's journal chunks). */
export const JournalId = z.string().regex(/^[0-9a-f]{16}$/);

export const RecordRef = z.object({
  type: z.literal("record"),
  journal: JournalId,
  seq: z.number().int().positive(),
  hash: Hex64,
  kind: z.string(),
  ts: z.string(),
});
export type RecordRef = z.infer<typeof RecordRef>;

export const ManifestRef = z.object({
  type: z.literal("manifest"),
  profile: z.string(),
  /** "primary" or a replica's name. */
  store: z.string(),
  id: z.string(),
  key: z.string(),
  /** sha256 of the manifest's bytes as stored. */
  sha256: Hex64,
});
export type ManifestRef = z.infer<typeof ManifestRef>;

export const EvidenceRef = z.discriminatedUnion("type", [RecordRef, ManifestRef]);
export type EvidenceRef = z.infer<typeof EvidenceRef>;

/** Facts shown under a verdict, as text cells: every renderer (console, Markdown, HTML, PDF) draws them the same way. */
export const FactTable = z.object({
  title: z.string(),
  columns: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  /** Rows before the table was cut to what a page can hold; the JSON's evidence holds them all. */
  total: z.number().int().nonnegative(),
});
export type FactTable = z.infer<typeof FactTable>;

export const ComplianceItem = z.object({
  control: z.string(),
  section: z.string(),
  title: z.string(),
  requirement: z.string(),
  /** The profile evaluated, or null for an organization-wide control (runbooks, training). */
  profile: z.string().nullable(),
  hipaa: z.enum(["Required", "Addressable"]).optional(),
  awsControl: z.string().optional(),
  verdict: Verdict,
  /** One sentence: why this verdict. */
  reason: z.string(),
  /** What an auditor follows up: every gap, every failure, every missing copy. */
  findings: z.array(z.string()),
  tables: z.array(FactTable),
  evidence: z.array(EvidenceRef),
  /** What this verdict could not see. */
  unseen: z.array(z.string()),
});
export type ComplianceItem = z.infer<typeof ComplianceItem>;

export const Unseen = z.object({ profile: z.string().nullable(), what: z.string(), why: z.string() });
export type Unseen = z.infer<typeof Unseen>;

export const ProfileTargets = z.object({
  name: z.string(),
  rtoMinutes: z.number(),
  rpoMinutes: z.number(),
  /** The backup cadence the gaps are measured against: the profile's backup schedule, never more than a day. */
  cadenceMs: z.number(),
  /** A gap is an interval longer than this many cadences (the profile's warnAfterCadences). */
  toleranceCadences: z.number(),
});
export type ProfileTargets = z.infer<typeof ProfileTargets>;

export const ComplianceReport = z.object({
  format: z.literal(REPORT_FORMAT),
  /** RULES_VERSION when made by these rules; a report made by others still verifies, without re-deriving. */
  rules: z.string().regex(/^lifeboat-compliance-rules\/\d+$/),
  controlSet: ControlSetName,
  generatedAt: z.string(),
  generatedBy: z.object({ user: z.string(), host: z.string() }),
  lifeboatVersion: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  profiles: z.array(ProfileTargets),
  items: z.array(ComplianceItem),
  summary: z.object({ pass: z.number(), fail: z.number(), notEvidenced: z.number() }),
  unseen: z.array(Unseen),
  evidenceCounts: z.object({ journals: z.number(), records: z.number(), manifests: z.number() }),
});
export type ComplianceReport = z.infer<typeof ComplianceReport>;
