// Everything a compliance report's verdicts were derived from, carried inside its JSON so the file verifies on its
// own: journal records byte for byte (their hashes and chain check with the journal's own rules), manifests byte for
// byte (their sha256 is what the report cites), and what Lifeboat observed in the stores when it made the report.
// `lifeboat report verify` checks every hash and re-derives every verdict from this bundle with the same rules.
import { z } from "zod";
import { JournalId, ProfileTargets } from "./compliance-report.ts";

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const BundledJournal = z.object({
  journalId: JournalId,
  /** Where the records were read: "local" (this machine's journal), "practice" (the sandbox's), "store:<profile>". */
  source: z.string(),
  /** The journal's last record when the report was made: an anchor to check the journal against later. */
  tip: z.object({ seq: z.number(), hash: Hex64 }).optional(),
  /** The cited records' lines exactly as in the journal, in seq order. */
  lines: z.array(z.string()),
});
export type BundledJournal = z.infer<typeof BundledJournal>;

export const BundledManifest = z.object({
  profile: z.string(),
  store: z.string(),
  key: z.string(),
  sha256: Hex64,
  /** The manifest's bytes as stored (UTF-8 JSON). */
  text: z.string(),
});
export type BundledManifest = z.infer<typeof BundledManifest>;

/** A backup's lock as the store reported it when the report was made. */
export const ObservedLock = z.object({
  id: z.string(),
  status: z.enum(["locked", "partial", "unlocked", "bucket-rule", "unsupported"]),
  until: z.string().nullable(),
  mode: z.string().nullable(),
  legalHold: z.boolean(),
});
export type ObservedLock = z.infer<typeof ObservedLock>;

export const ObservedStore = z.object({
  profile: z.string(),
  /** "primary" or the replica's name. */
  name: z.string(),
  description: z.string(),
  kind: z.enum(["s3", "folder"]),
  /** The region the store is in (S3: the profile's region setting, confirmed by the bucket's location when asked). */
  region: z.string().nullable(),
  reachable: z.boolean(),
  error: z.string().optional(),
  /** The profile's objects in it (backups, and Lifeboat's own state beside them). */
  objects: z.number(),
  bytes: z.number(),
  /** Backups with a manifest there. */
  committed: z.array(z.string()),
  /** Objects that are neither an age-encrypted archive nor Lifeboat's metadata: plaintext where none may be. */
  plaintext: z.array(z.object({ key: z.string(), bytes: z.number(), why: z.string() })),
  /** Each committed backup's lock as the store reports it; null when not read (a folder, or no Object Lock). */
  locks: z.array(ObservedLock).nullable(),
});
export type ObservedStore = z.infer<typeof ObservedStore>;

export const RunbookVersion = z.object({ id: z.string(), version: z.string(), title: z.string() });
export type RunbookVersion = z.infer<typeof RunbookVersion>;

export const EvidenceBundle = z.object({
  journals: z.array(BundledJournal),
  manifests: z.array(BundledManifest),
  stores: z.array(ObservedStore),
  /** The runbooks this Lifeboat ships, at their current versions: what the documentation item compares exports with. */
  runbooks: z.array(RunbookVersion),
  /** The targets the evidence is judged against (the profiles' own, or the ones given with the request). */
  targets: z.array(ProfileTargets),
  /** Practice journals looked for (team training): where, and whether one was there. */
  practice: z.array(z.object({ dir: z.string(), found: z.boolean() })),
});
export type EvidenceBundle = z.infer<typeof EvidenceBundle>;
