import { z } from "zod";
import { SecretRef } from "./secret-ref.ts";

export const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

export const DatabaseTarget = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1),
    user: z.string().min(1),
    password: SecretRef.optional(),
    sslmode: z.enum(["disable", "prefer", "require", "verify-ca", "verify-full"]).default("require"),
  })
  .strict();
export type DatabaseTarget = z.infer<typeof DatabaseTarget>;

export const S3Storage = z
  .object({
    kind: z.literal("s3"),
    bucket: z.string().min(3),
    prefix: z.string().default(""),
    region: z.string().default("us-east-1"),
    endpoint: z.string().url().optional(),
    forcePathStyle: z.boolean().default(false),
    accessKeyId: SecretRef.optional(),
    secretAccessKey: SecretRef.optional(),
    serverSideEncryption: z.enum(["AES256", "aws:kms"]).optional(),
    sseKmsKeyId: z.string().optional(),
  })
  .strict();
export type S3Storage = z.infer<typeof S3Storage>;

export const FolderStorage = z.object({ kind: z.literal("folder"), path: z.string().min(1) }).strict();
export type FolderStorage = z.infer<typeof FolderStorage>;

export const StorageConfig = z.discriminatedUnion("kind", [S3Storage, FolderStorage]);
export type StorageConfig = z.infer<typeof StorageConfig>;

export const EncryptionConfig = z
  .object({
    recipients: z.array(z.string().regex(AGE_RECIPIENT, "is not an age X25519 recipient (age1…)")).min(1),
    identity: SecretRef.optional(),
  })
  .strict();
export type EncryptionConfig = z.infer<typeof EncryptionConfig>;

export const Profile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "use lower-case letters, digits, _ and -"),
    database: DatabaseTarget,
    storage: StorageConfig,
    encryption: EncryptionConfig,
    tools: z.object({ pgBinDir: z.string().optional() }).strict().default({}),
    /** Deep verify restores into a throwaway database here; without it, into a temporary local cluster. */
    verify: z.object({ scratch: DatabaseTarget.optional() }).strict().default({}),
  })
  .strict();
export type Profile = z.infer<typeof Profile>;
export type ProfileInput = z.input<typeof Profile>;

export const ConfigFile = z
  .object({
    version: z.literal(1).default(1),
    profiles: z.array(Profile).default([]),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFile>;
