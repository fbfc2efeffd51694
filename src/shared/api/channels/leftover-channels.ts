import { z } from "zod";
import { ErrorInfo } from "../../errors.ts";
import { channel, ProfileName } from "../common-schemas.ts";

const IncidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A Neon branch Lifeboat made (recovery-*, emergency-*, backup-test-*), still in the project: its compute keeps running. */
export const LeftoverBranch = z.object({
  name: z.string(),
  id: z.string(),
  createdAt: z.string(),
  computeState: z.string().optional(),
  /** Made during this incident (its journal records it). */
  fromIncident: z.boolean(),
});

/** A database a restore left: a staging database, or one restored during the incident that still exists. */
export const LeftoverDatabase = z.object({
  database: z.string(),
  /** The profile whose server holds it. */
  profile: z.string(),
  host: z.string(),
  bytes: z.number(),
  kind: z.enum(["staging", "restored"]),
  fromIncident: z.boolean(),
});

export const Leftovers = z.object({
  checkedAt: z.string(),
  branches: z.array(LeftoverBranch),
  databases: z.array(LeftoverDatabase),
  /** What could not be checked (Neon or a server unreachable): the list may be incomplete. */
  unchecked: z.array(z.object({ what: z.string(), message: z.string() })),
});
export type Leftovers = z.infer<typeof Leftovers>;

const Removable = z.enum(["branch", "database"]);

export const CleanUpRequest = z
  .object({
    profile: ProfileName.optional(),
    branches: z.array(z.string().min(1).max(256)).max(50).default([]),
    databases: z
      .array(z.object({ profile: ProfileName, database: z.string().min(1).max(63), confirm: z.string().max(63) }))
      .max(50)
      .default([]),
  })
  .strict();
export type CleanUpRequest = z.infer<typeof CleanUpRequest>;

export const CleanUpResult = z.object({
  deleted: z.array(z.object({ what: Removable, name: z.string() })),
  /** Each deletion that failed, with the engine's error (what happened and what to do next). */
  failed: z.array(z.object({ what: Removable, name: z.string(), error: ErrorInfo })),
});
export type CleanUpResult = z.infer<typeof CleanUpResult>;

export const leftoverChannels = {
  "incidents.leftovers": channel({
    doc:
      "What recovery left running or stored: Lifeboat's Neon branches (with compute state) and staging or restored databases " +
      "on the profile's servers, marked when the incident (named, or the open one) made them. Read-only; a part that cannot " +
      "be reached is listed as unchecked.",
    request: z.object({ profile: ProfileName.optional(), incident: IncidentId.optional() }).strict(),
    result: Leftovers,
  }),
  "incidents.cleanUp": channel({
    doc:
      "Deletes leftovers: Lifeboat's branches (never the default or a protected one) and databases a restore left, each " +
      "database only with its name typed in `confirm`, and never the profile's production database. Each deletion is " +
      "journaled; one that fails does not stop the others.",
    request: CleanUpRequest,
    result: CleanUpResult,
  }),
};
