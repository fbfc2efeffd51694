import { z } from "zod";
import { Profile } from "../../config.ts";
import { channel, Check, Empty, ProfileName } from "../common-schemas.ts";

const KeychainName = z.string().regex(/^[A-Za-z0-9_.@/-]{1,128}$/, "use letters, digits and _ . @ / -");

/** Where secrets are kept on this machine. Never a value. */
export const KeychainStatus = z.object({
  /** True when Lifeboat can keep secrets here durably. */
  available: z.boolean(),
  /** The store @napi-rs/keyring would use on this machine ("none" when not even a fallback works). */
  backend: z.enum(["secret-service", "keyutils", "macos-keychain", "windows-credential-manager", "none"]),
  /** Whether the backend keeps secrets across reboots. */
  persistent: z.boolean(),
  message: z.string().optional(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

/** Every precondition of a backup and a restore, each checked on its own so one failure hides no other. */
export const ProfileTestResult = z.object({ profile: z.string(), ok: z.boolean(), checks: z.array(Check) });
export type ProfileTestResult = z.infer<typeof ProfileTestResult>;

export const profileChannels = {
  "profiles.list": channel({
    doc: "Every configured profile. Profiles hold secret references (keychain:/env:), never values.",
    request: Empty,
    result: z.object({ configPath: z.string(), profiles: z.array(Profile) }),
  }),
  "profiles.get": channel({
    doc: "One profile by name (without one, the only profile configured).",
    request: z.object({ name: ProfileName.optional() }).strict(),
    result: Profile,
  }),
  "profiles.save": channel({
    doc: "Adds the profile, or replaces the one with the same name; journaled. A literal secret in a secret field is refused.",
    request: z.object({ profile: Profile }).strict(),
    result: Profile,
  }),
  "profiles.remove": channel({
    doc: "Removes a profile from the config (its backups and keychain entries stay); journaled. One that is not there is PROFILE_NOT_FOUND.",
    request: z.object({ name: ProfileName }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  "profiles.test": channel({
    doc: "Pre-flight checks, each independent: keychain, direct (unpooled) host, database reachable, pg_dump/pg_restore versions, zstd, storage, recipients, restore identity.",
    request: z.object({ name: ProfileName.optional() }).strict(),
    result: ProfileTestResult,
  }),
};

export const secretChannels = {
  "secrets.status": channel({
    doc: "Whether the OS keychain works, and for each secret reference in the profile(s) whether it is set. NEVER a value.",
    request: z.object({ profile: ProfileName.optional() }).strict(),
    result: z.object({
      keychain: KeychainStatus,
      refs: z.array(
        z.object({
          profile: z.string(),
          /** Where the reference sits in the profile, e.g. "database.password". */
          field: z.string(),
          ref: z.string(),
          kind: z.enum(["keychain", "env"]),
          state: z.enum(["set", "missing", "unavailable"]),
          message: z.string().optional(),
        }),
      ),
    }),
  }),
  "secrets.set": channel({
    doc: "Stores a value under keychain:NAME; journaled (the reference, never the value). Write-only: the value never comes back on any channel, and it never travels in argv (the CLI reads it from a prompt or stdin).",
    secretFields: ["value"],
    request: z.object({ name: KeychainName, value: z.string().min(1).max(16384) }).strict(),
    result: z.object({ name: z.string(), ref: z.string(), stored: z.literal(true) }),
  }),
  "secrets.delete": channel({
    doc: "Deletes keychain:NAME; journaled. False when there was no such entry.",
    request: z.object({ name: KeychainName }).strict(),
    result: z.object({ name: z.string(), deleted: z.boolean() }),
  }),
};

export const keychainChannels = {
  "keychain.status": channel({
    doc: "Which OS keychain Lifeboat uses here, whether it works, and whether its entries survive a reboot.",
    request: Empty,
    result: KeychainStatus,
  }),
};

export const keyChannels = {
  "keys.generate": channel({
    doc: "Makes an age key pair, stores the identity in the OS keychain (refused over an existing one unless overwrite) and returns only the public recipient; journaled.",
    request: z.object({ name: KeychainName.optional(), overwrite: z.boolean().optional() }).strict(),
    result: z.object({ recipient: z.string(), identityRef: z.string() }),
  }),
};

export const toolChannels = {
  "tools.list": channel({
    doc: "The PostgreSQL client tools (every major found, where and how) and the zstd Lifeboat would use.",
    request: z.object({ pgBinDir: z.string().min(1).max(4096).optional() }).strict(),
    result: z.object({
      postgres: z.array(
        z.object({
          major: z.number(),
          version: z.string(),
          dir: z.string(),
          pgDump: z.string(),
          pgRestore: z.string(),
          /** Empty when the folder has no psql. */
          psql: z.string(),
          source: z.string(),
        }),
      ),
      zstd: z.string().nullable(),
    }),
  }),
};
