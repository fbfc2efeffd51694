import { z } from "zod";
import { StorageConfig } from "../../config.ts";
import { channel, OperationId, ProfileName } from "../common-schemas.ts";

export const ATTACHMENT_FORMAT = "lifeboat-attachments/1";

/** One application file as of a run: what it was in the source, and the encrypted blob that holds it. */
export const AttachmentEntry = z.object({
  key: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The source's own fingerprint (S3 ETag, or a folder file's size and mtime): how the next run sees it unchanged. */
  etag: z.string(),
  lastModified: z.string(),
  /** Where its age-encrypted copy lives in the backup store, and that copy's size. */
  blob: z.string(),
  blobBytes: z.number().int().nonnegative(),
  /** The run that copied it (earlier runs' blobs are reused for unchanged files). */
  copiedIn: z.string(),
  /** With Object Lock: until when its blob is locked (extended when a later run of a longer tier reuses it). */
  lockUntil: z.string().optional(),
});
export type AttachmentEntry = z.infer<typeof AttachmentEntry>;

/** A run's manifest, written last (its commit marker): every file as of that run, so the set restores as of any run. */
export const AttachmentRunManifest = z.object({
  format: z.literal(ATTACHMENT_FORMAT),
  profile: z.string(),
  set: z.string(),
  id: z.string(),
  source: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  recipients: z.array(z.string()),
  previous: z.string().nullable(),
  objects: z.array(AttachmentEntry),
  /** Files present in the previous run and gone from the source now: still restorable from earlier runs. */
  deleted: z.array(z.string()),
  /** Files that could not be copied in this run (they changed while being read, or failed): their previous copy is kept in this run when there was one. */
  failed: z.array(z.object({ key: z.string(), error: z.string(), keptPrevious: z.boolean() })),
  copied: z.number(),
  copiedBytes: z.number(),
  unchanged: z.number(),
});
export type AttachmentRunManifest = z.infer<typeof AttachmentRunManifest>;

const SetName = z.string().min(1).max(64);
const RunId = z.string().regex(/^(latest|\d{8}T\d{6}Z-[0-9a-f]{4})$/, 'is not an attachment run id (or "latest")');

/**
 * Where restored files go: any store (a bucket and prefix, or a folder), or, named relative to the set's own source
 * (resolved by the engine from the profile, so every face offers the same choices), a new prefix in the source's
 * bucket or the source itself.
 */
export const AttachmentTarget = z.union([
  StorageConfig,
  z.object({ kind: z.literal("prefix"), prefix: z.string().min(1) }).strict(),
  z.object({ kind: z.literal("source") }).strict(),
]);
export type AttachmentTarget = z.infer<typeof AttachmentTarget>;

export const AttachmentRunSummary = z.object({
  set: z.string(),
  id: z.string(),
  source: z.string(),
  objects: z.number(),
  bytes: z.number(),
  copied: z.number(),
  copiedBytes: z.number(),
  unchanged: z.number(),
  deleted: z.array(z.string()),
  failed: z.array(z.object({ key: z.string(), error: z.string(), keptPrevious: z.boolean() })),
  manifestKey: z.string(),
  manifestSha256: z.string(),
  durationMs: z.number(),
});

export const attachmentChannels = {
  "attachments.run": channel({
    doc: "Backs up the profile's attachment sets (or the one named): copies only files that changed since the last run, each encrypted to the profile's recipients, and writes a manifest of every file with its size and sha256. Streams progress.",
    long: true,
    request: z
      .object({ profile: ProfileName.optional(), set: SetName.optional(), operationId: OperationId.optional() })
      .strict(),
    result: z.object({ runs: z.array(AttachmentRunSummary) }),
  }),
  "attachments.runs": channel({
    doc: "The committed runs of an attachment set, newest first: when, how many files, what was copied and deleted.",
    request: z.object({ profile: ProfileName.optional(), set: SetName.optional() }).strict(),
    result: z.object({
      runs: z.array(
        z.object({
          set: z.string(),
          id: z.string(),
          finishedAt: z.string(),
          objects: z.number(),
          bytes: z.number(),
          copied: z.number(),
          deleted: z.number(),
          failed: z.number(),
        }),
      ),
    }),
  }),
  "attachments.restore": channel({
    doc: "Restores an attachment set as of a run into a bucket, prefix or folder, each file decrypted and checked against its sha256; verify only checks the copies without writing anything. Streams progress.",
    long: true,
    request: z
      .object({
        profile: ProfileName.optional(),
        set: SetName,
        run: RunId.default("latest"),
        /** Where the files go; omitted with verifyOnly. */
        target: AttachmentTarget.optional(),
        verifyOnly: z.boolean().optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      set: z.string(),
      run: z.string(),
      target: z.string().nullable(),
      objects: z.number(),
      bytes: z.number(),
      /** Every file's sha256 after decryption equals the run manifest's. */
      verified: z.boolean(),
      durationMs: z.number(),
    }),
  }),
};
