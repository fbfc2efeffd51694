import { z } from "zod";
import { Profile } from "../../config.ts";
import { channel, Check, Empty, ProfileName } from "../common-schemas.ts";

export const profileChannels = {
  "profiles.list": channel({
    doc: "Every configured profile. Profiles hold secret references (keychain:/env:), never values.",
    request: Empty,
    result: z.object({ configPath: z.string(), profiles: z.array(Profile) }),
  }),
  "profiles.get": channel({
    doc: "One profile by name.",
    request: z.object({ name: ProfileName }).strict(),
    result: Profile,
  }),
  "profiles.save": channel({
    doc: "Adds the profile, or replaces the one with the same name. A literal secret in a secret field is refused (CONFIG).",
    request: z.object({ profile: Profile }).strict(),
    result: Profile,
  }),
  "profiles.remove": channel({
    doc: "Removes a profile from the config (its backups and keychain entries stay).",
    request: z.object({ name: ProfileName }).strict(),
    result: z.object({ removed: z.boolean() }),
  }),
  "profiles.test": channel({
    doc: "Pre-flight checks, each independent: keychain, direct (unpooled) host, database reachable, pg_dump/pg_restore versions, zstd, storage, recipients, restore identity.",
    request: z.object({ name: ProfileName }).strict(),
    result: z.object({ profile: z.string(), ok: z.boolean(), checks: z.array(Check) }),
  }),
};

export const secretChannels = {
  "secrets.status": channel({
    doc: "Whether the OS keychain works, and for each secret reference in the profile(s) whether it is set. NEVER a value.",
    request: z.object({ profile: ProfileName.optional() }).strict(),
    result: z.object({
      keychain: z.object({
        available: z.boolean(),
        backend: z.string(),
        persistent: z.boolean(),
        message: z.string().optional(),
      }),
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
    doc: "Stores a value under keychain:NAME. Write-only: the value never comes back on any channel.",
    request: z
      .object({
        name: z.string().regex(/^[A-Za-z0-9_.@/-]{1,128}$/, "use letters, digits and _ . @ / -"),
        value: z.string().min(1).max(16384),
      })
      .strict(),
    result: z.object({ name: z.string(), ref: z.string(), stored: z.literal(true) }),
  }),
  "secrets.delete": channel({
    doc: "Deletes keychain:NAME. False when there was no such entry.",
    request: z.object({ name: z.string().regex(/^[A-Za-z0-9_.@/-]{1,128}$/) }).strict(),
    result: z.object({ name: z.string(), deleted: z.boolean() }),
  }),
};
