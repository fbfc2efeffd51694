// A valid backup manifest for tests and benchmarks that write backups directly (no pg_dump): what is not given is
// filled with plausible values.
import { createHash } from "node:crypto";
import { BackupManifest, MANIFEST_FORMAT } from "../../src/shared/manifest.ts";

export function fakeManifest(o: {
  id: string;
  profile: string;
  key: string;
  body: Buffer;
  startedAt: string;
  rows?: number;
}): BackupManifest {
  return BackupManifest.parse({
    format: MANIFEST_FORMAT,
    id: o.id,
    profile: o.profile,
    database: o.profile,
    server: { version: "15.18", major: 15 },
    pgDump: { version: "15.18", major: 15 },
    startedAt: o.startedAt,
    finishedAt: new Date(Date.parse(o.startedAt) + 60_000).toISOString(),
    object: { key: o.key, bytes: o.body.length, sha256: createHash("sha256").update(o.body).digest("hex") },
    databaseBytes: 1000,
    snapshot: "00000003-00000002-1",
    tables: [{ schema: "public", table: "Patient", rows: o.rows ?? 0 }],
    compression: { algorithm: "zstd", level: 1 },
    encryption: { format: "age-v1", recipients: [] },
    restoreCommand: "",
    lifeboatVersion: "test",
  });
}
