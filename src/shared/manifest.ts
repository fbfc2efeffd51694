import { z } from "zod";

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
  compression: z.object({ algorithm: Compression, level: z.number().int().optional() }),
  encryption: z.object({ format: z.literal("age-v1"), recipients: z.array(z.string()) }),
  restoreCommand: z.string(),
  lifeboatVersion: z.string(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
