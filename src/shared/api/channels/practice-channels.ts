import { z } from "zod";
import { channel, OperationId } from "../common-schemas.ts";
import { DeepVerifyResult, TableComparison } from "./backup-channels.ts";

const SandboxIncident = z.object({
  kind: z.string(),
  branchId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** The last whole second at which the data was still good: the recovery point for the runbooks. */
  lastGoodSecond: z.string(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
});

const SandboxDir = z.string().min(1).max(4096);

export const practiceChannels = {
  "sandbox.start": channel({
    doc:
      "Starts (or resumes) the local Neon sandbox: Neon's API backed by real PostgreSQL point-in-time recovery, seeded " +
      "with the clinical sample; stages an incident (one of the sandbox's INCIDENT_KINDS: bulk-delete, drop-column, db-loss, bad-update, mixed, server-failure, app-error, ransomware, region-outage) if asked. It serves until " +
      "sandbox.stop; with serve false it is set up and stopped again. Its API key stays in LIFEBOAT_SANDBOX_API_KEY " +
      "(a key it makes is shown only to a terminal).",
    request: z
      .object({
        dir: SandboxDir.optional(),
        reset: z.boolean().optional(),
        scale: z.number().int().min(1).max(1000).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        retentionHours: z
          .number()
          .positive()
          .max(24 * 365)
          .optional(),
        /** One of the sandbox's INCIDENT_KINDS (an unknown one is refused before anything starts). */
        incident: z.string().min(1).max(64).optional(),
        serve: z.boolean().default(true),
      })
      .strict(),
    result: z.object({
      dir: z.string(),
      resumed: z.boolean(),
      serving: z.boolean(),
      apiUrl: z.string(),
      proxyPort: z.number().int(),
      projectId: z.string(),
      defaultBranchId: z.string(),
      database: z.string(),
      role: z.string(),
      pgVersion: z.number(),
      earliestRestorable: z.string(),
      apiKeyEnv: z.string(),
      /** The key came from apiKeyEnv (else the sandbox made one). */
      apiKeyFromEnv: z.boolean(),
      /** A profile's neon section pointing at it; the key stays in the environment. */
      profileNeon: z.object({
        projectId: z.string(),
        apiKey: z.string(),
        apiHost: z.string(),
        database: z.string(),
        role: z.string(),
      }),
      incidents: z.array(SandboxIncident),
      incident: SandboxIncident.optional(),
    }),
  }),
  "sandbox.stop": channel({
    doc: "Stops the sandbox this process serves from `dir` (default the sandbox folder): WAL archived, computes stopped. False when none serves there.",
    request: z.object({ dir: SandboxDir.optional() }).strict(),
    result: z.object({ stopped: z.boolean() }),
  }),
  "demo.run": channel({
    doc: "The embedded demo: a throwaway PostgreSQL with the clinical sample and a local S3, a backup, a listing, a deep verify (a real restore, every table's exact count), the standard-tools restore command; then everything is removed. Streams progress and notes.",
    long: true,
    request: z
      .object({ scale: z.number().int().min(1).max(1000).optional(), operationId: OperationId.optional() })
      .strict(),
    result: z.object({
      backup: z.string(),
      tables: z.array(TableComparison),
      deep: DeepVerifyResult.optional(),
      journalRecords: z.number(),
    }),
  }),
};
