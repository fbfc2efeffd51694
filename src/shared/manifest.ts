import { z } from "zod";
import { LockMode, Tier } from "./retention-policy.ts";

export const MANIFEST_NAME = "manifest.json";
export const MANIFEST_FORMAT = "lifeboat-backup/1";

export const TableCount = z.object({ schema: z.string(), table: z.string(), rows: z.number().int().nonnegative() });
export type TableCount = z.infer<typeof TableCount>;

export const Compression = z.enum(["zstd", "pg_dump-gzip", "pg_dump-zstd", "none"]);
export type Compression = z.infer<typeof Compression>;

export const BackupManifest = z.object({
  format: z.literal(MANIFEST_FORMAT),
  id: z.string(),
  profile: z.string(),
  database: z.string(),
  server: z.object({ version: z.string(), major: z.number().int() }),
  pgDump: z.object({ version: z.string(), major: z.number().int() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  object: z.object({
    key: z.string(),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  /** Size of the pg_dump archive before Lifeboat compressed it; absent when the compressor did not report it. */
  dumpBytes: z.number().int().nonnegative().optional(),
  databaseBytes: z.number().int().nonnegative(),
  snapshot: z.string(),
  tables: z.array(TableCount),
  /**
   * The large objects in the snapshot: how many, and sha256 over "<oid>:<md5 of its bytes>\n" lines in oid order.
   * Absent in manifests written before Lifeboat recorded them.
   */
  largeObjects: z
    .object({ count: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
    .optional(),
  compression: z.object({ algorithm: Compression, level: z.number().int().optional() }),
  encryption: z.object({ format: z.literal("age-v1"), recipients: z.array(z.string()) }),
  restoreCommand: z.string(),
  lifeboatVersion: z.string(),
  /** The retention generations this backup represents (first of its day, week, month, year), fixed when it was made. */
  retention: z
    .object({
      generations: z.array(z.object({ tier: Tier, period: z.string(), until: z.string() })),
      lockUntil: z.string(),
    })
    .optional(),
  /** The archive's Object Lock as the store reported it back before this manifest was written. */
  lock: z
    .object({
      mode: LockMode.nullable(),
      retainUntil: z.string().nullable(),
      versionId: z.string().nullable(),
      /** The store enforces immutability by a bucket rule it cannot show per object (Cloudflare R2). */
      bucketRule: z.boolean().optional(),
    })
    .optional(),
  /** The profile's configuration (references only, never a secret) as it was for this backup, stored beside it. */
  config: z.object({ key: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
