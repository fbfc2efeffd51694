import { z } from "zod";
import { channel, OperationId, ProfileName } from "../common-schemas.ts";

export const CopyProof = z.object({
  id: z.string(),
  replica: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  manifestSha256: z.string(),
  lockUntil: z.string().optional(),
  /** The journal record that proves it (seq): for reports. */
  journalSeq: z.number().optional(),
});

/** One replica after a copy run: what was copied and proven, what was already there, what failed and why. */
export const ReplicaOutcome = z.object({
  name: z.string(),
  store: z.string(),
  copied: z.array(CopyProof),
  /** Backups it already held. */
  present: z.number(),
  failures: z.array(z.object({ id: z.string(), error: z.string() })),
  /** The replica could not be reached or written: left for the next run. */
  error: z.string().optional(),
});
export type ReplicaOutcome = z.infer<typeof ReplicaOutcome>;

export const BackupCopies = z.object({
  stores: z.array(z.object({ name: z.string(), store: z.string(), error: z.string().optional() })),
  /** Every committed backup in any of the profile's stores, newest first, with the stores that hold it. */
  backups: z.array(z.object({ id: z.string(), on: z.array(z.string()), missingFrom: z.array(z.string()) })),
});

const StoreName = z.string().min(1).max(64);

export const replicaChannels = {
  "replicas.run": channel({
    doc: "Copies every committed backup a replica lacks (all replicas, or the one named), each proven there by size and sha256 and journaled; a replica that is down or full is reported and left for the next run.",
    long: true,
    request: z
      .object({ profile: ProfileName.optional(), replica: StoreName.optional(), operationId: OperationId.optional() })
      .strict(),
    result: z.object({ replicas: z.array(ReplicaOutcome) }),
  }),
  "replicas.where": channel({
    doc: "Where each backup exists: the primary store and every replica, from one listing of each.",
    request: z.object({ profile: ProfileName.optional() }).strict(),
    result: BackupCopies,
  }),
};
