import { z } from "zod";
import { LockMode, RetentionPolicy, Tier } from "../../retention-policy.ts";
import { channel, OperationId, ProfileName } from "../common-schemas.ts";

export const GenerationView = z.object({ tier: Tier, period: z.string(), until: z.string() });

export const PruneRefusal = z.object({
  code: z.enum(["NO_POLICY", "BACKUPS_FAILING", "TOO_FEW_PROVEN"]),
  message: z.string(),
  hint: z.string(),
});

/** What a prune would do (dry run) or did (apply), backup by backup, with the reason for each. */
export const PrunePlan = z.object({
  now: z.string(),
  policy: RetentionPolicy.nullable(),
  refused: PruneRefusal.nullable(),
  keep: z.array(
    z.object({
      id: z.string(),
      time: z.string(),
      reasons: z.array(z.string()),
      generations: z.array(GenerationView),
    }),
  ),
  remove: z.array(
    z.object({
      id: z.string(),
      time: z.string(),
      manifestSha256: z.string(),
      bytes: z.number(),
      why: z.string(),
    }),
  ),
  /** The policy no longer needs these, but they are kept: locked, under legal hold, or not provably Lifeboat's. */
  blocked: z.array(z.object({ id: z.string(), time: z.string(), why: z.string() })),
  /** Kept backups whose lock ends before their tier lets them go (the tier changed, or a lock was set short). */
  extend: z.array(z.object({ id: z.string(), mode: LockMode, from: z.string(), to: z.string() })),
  /** Runs that never committed (no manifest). Older than a day: removed with their unfinished multipart uploads. */
  incomplete: z.array(
    z.object({ dir: z.string(), action: z.enum(["delete", "keep"]), why: z.string(), bytes: z.number() }),
  ),
  uploads: z.array(
    z.object({ key: z.string(), uploadId: z.string(), initiated: z.string(), action: z.enum(["abort", "keep"]) }),
  ),
});
export type PrunePlan = z.infer<typeof PrunePlan>;

export const PruneOutcome = z.object({
  /** Where: the primary store's description, or a replica's. */
  store: z.string(),
  applied: z.boolean(),
  plan: PrunePlan,
  deleted: z.array(
    z.object({ id: z.string(), manifestSha256: z.string(), objects: z.number(), journalSeq: z.number().optional() }),
  ),
  extended: z.array(z.object({ id: z.string(), to: z.string() })),
  cleaned: z.array(z.object({ dir: z.string(), objects: z.number() })),
  aborted: z.array(z.object({ key: z.string(), uploadId: z.string() })),
  /** What could not be done this time; the next prune retries it. */
  failures: z.array(z.object({ id: z.string(), error: z.string() })),
  /** The attachment sets' runs, kept by the same policy (primary store only); blobs no kept run names are removed. */
  attachments: z
    .array(
      z.object({
        set: z.string(),
        keep: z.array(z.string()),
        remove: z.array(z.string()),
        orphanBlobs: z.number(),
        refused: z.string().nullable(),
        deletedRuns: z.array(z.string()),
        deletedBlobs: z.number(),
        failures: z.array(z.string()),
      }),
    )
    .optional(),
});
export type PruneOutcome = z.infer<typeof PruneOutcome>;

export const retentionChannels = {
  "retention.prune": channel({
    doc: "Plans (dry run, the default) or applies the profile's retention: which backups the GFS policy keeps and why, which it deletes, never the newest verified, never below N proven restorable, never while backups fail, never a locked or held backup. Each deletion is journaled with its manifest digest.",
    long: true,
    request: z
      .object({
        profile: ProfileName.optional(),
        apply: z.boolean().optional(),
        /** A replica's name: prune that store with its own policy. Omitted: the primary store. */
        store: z.string().min(1).max(64).optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: PruneOutcome,
  }),
};
