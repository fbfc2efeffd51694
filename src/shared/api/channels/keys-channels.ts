import { z } from "zod";
import { channel, OperationId, ProfileName } from "../common-schemas.ts";

/** A key Lifeboat has on record for a profile: where its identity lives (never the identity itself). */
export const KeyOnRecord = z.object({
  recipient: z.string(),
  /** current: the profile's identity; retired: replaced by a rotation; escrow: kept off this machine. */
  role: z.enum(["current", "retired", "escrow"]),
  label: z.string(),
  /** The identity's reference (keychain:/env:), when one is on record. */
  identityRef: z.string().nullable(),
  /** This machine can read the identity right now. */
  reachable: z.boolean(),
  detail: z.string(),
});
export type KeyOnRecord = z.infer<typeof KeyOnRecord>;

export const KeyCheckRow = z.object({
  kind: z.enum(["backup", "attachments"]),
  id: z.string(),
  recipients: z.array(z.object({ recipient: z.string(), key: z.string().nullable() })),
  /** The key on this machine whose identity opened the header, or null. */
  opensWith: z.string().nullable(),
  /** Keys on record (reachable here or not) that can open it. */
  onRecord: z.array(z.string()),
  problem: z.string().optional(),
});

export const keysChannels = {
  "keys.check": channel({
    doc: "For every retained backup (and attachment run): the recipients it was encrypted to, which key on record each belongs to, and whether an identity this machine can reach opens it (the age header only, fast). Warns when a backup can be opened by no identity on record.",
    request: z.object({ profile: ProfileName.optional(), store: z.string().min(1).max(64).optional() }).strict(),
    result: z.object({
      store: z.string(),
      keys: z.array(KeyOnRecord),
      backups: z.array(KeyCheckRow),
      warnings: z.array(z.string()),
      ok: z.boolean(),
    }),
  }),
  "keys.rotate": channel({
    doc: "Makes a new age identity in the OS keychain; new backups are encrypted to it, the old key is kept on record as retired (with where its identity lives) for the backups that still need it. Journaled.",
    request: z
      .object({
        profile: ProfileName.optional(),
        name: z
          .string()
          .regex(/^[A-Za-z0-9_.@/-]{1,128}$/)
          .optional(),
      })
      .strict(),
    result: z.object({ recipient: z.string(), identityRef: z.string(), retired: z.string() }),
  }),
  "keys.escrow": channel({
    doc: "Adds an escrow key (one kept off this machine: printed, on a token): every new backup is also encrypted to it. Given a recipient it records that; otherwise it makes a key pair, writes the identity once to a 0600 file for printing, and keeps only the recipient. Journaled.",
    request: z
      .object({
        profile: ProfileName.optional(),
        label: z.string().min(1).max(200),
        recipient: z.string().optional(),
        /** Where the new identity is written (0600, must not exist); required when no recipient is given. */
        out: z.string().min(1).max(4096).optional(),
      })
      .strict(),
    result: z.object({ recipient: z.string(), label: z.string(), identityFile: z.string().nullable() }),
  }),
  "keys.drill": channel({
    doc: "The decrypt drill: with only the escrow identity given, decrypts and checks the newest and the oldest retained backup in full (sha256, every table's rows). Journaled. Streams progress.",
    long: true,
    secretFields: ["identity"],
    request: z
      .object({
        profile: ProfileName.optional(),
        /** The escrow identity's text (AGE-SECRET-KEY-1…): a write-only secret, read from a file by the CLI. */
        identity: z.string().min(1).max(100_000),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: z.object({
      passed: z.boolean(),
      escrow: z.string(),
      checked: z.array(z.object({ id: z.string(), ok: z.boolean(), detail: z.string() })),
    }),
  }),
};
