import { pipeline } from "node:stream/promises";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { MANIFEST_NAME, type BackupManifest } from "../../shared/manifest.ts";
import { resolveRetention } from "../../shared/retention-policy.ts";
import { parseManifest } from "../backup/backup-catalog.ts";
import { idTime, sha256Hex } from "../backup/backup-layout.ts";
import { ThreadedHashCounter } from "../backup/threaded-hash-counter.ts";
import { lockStored, prepareBackupLock } from "../object-lock/lock-backup.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import type { NamedStore } from "./profile-stores.ts";

export interface CopyProof {
  id: string;
  replica: string;
  bytes: number;
  sha256: string;
  manifestSha256: string;
  /** The replica's lock on the copy, when the replica locks. */
  lockUntil?: string;
}

/**
 * Copies one committed backup to a replica and proves it there: the archive is streamed from the source through a
 * sha256, and the copy counts only when that digest and the size equal the manifest's and the replica reports the
 * same size. The manifest goes last, byte for byte the source's, so on the replica too an interrupted copy is never
 * restorable. A source whose archive does not match its own manifest is not copied at all.
 */
export async function copyBackup(
  profile: Pick<Profile, "name">,
  id: string,
  source: BackupStore,
  replica: NamedStore,
  target: BackupStore,
  opts: { signal?: AbortSignal; manifest?: BackupManifest } = {},
): Promise<CopyProof> {
  const dir = `${profile.name}/${id}`;
  const raw = await source.getSmall(`${dir}/${MANIFEST_NAME}`);
  const m = opts.manifest ?? parseManifest(raw, `${dir}/${MANIFEST_NAME}`);
  const lock = await prepareBackupLock(
    { name: profile.name, retention: replica.retention, objectLock: replica.objectLock },
    target,
    new Date(idTime(id) ?? Date.parse(m.startedAt)),
    replica.retention ? resolveRetention(replica.retention) : undefined,
  );

  // Hashed on a worker thread: the copy runs at the speed of a plain one (LIFEBOAT_BENCH=protection).
  const hashed: ThreadedHashCounter = new ThreadedHashCounter({
    // The upload completes only when every byte matched: a source that differs from its manifest is never stored.
    beforeEnd: async () => {
      if (hashed.bytes !== m.object.bytes || hashed.sha256() !== m.object.sha256) {
        throw new LifeboatError(
          "OBJECT_CORRUPT",
          `backup ${id}'s archive in the source store does not match its manifest (${hashed.bytes} bytes, sha256 ${hashed.sha256().slice(0, 16)}…; the manifest says ${m.object.bytes} bytes, ${m.object.sha256.slice(0, 16)}…): it was not copied to replica "${replica.name}"`,
          `Verify it (\`lifeboat verify ${id}\`); copy it from another store that holds it whole.`,
        );
      }
    },
  });
  const body = await source.getStream(m.object.key, opts.signal ? { signal: opts.signal } : {});
  const feeding = pipeline(body, hashed).catch((e: unknown) => e);
  await target.putStream(m.object.key, hashed, {
    sizeHint: m.object.bytes,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  const fed = await feeding;
  if (fed) throw fed;
  const head = await target.head(m.object.key);
  if (head?.bytes !== m.object.bytes) {
    throw new LifeboatError(
      "STORAGE_ERROR",
      `replica "${replica.name}" reports ${head?.bytes ?? "no"} bytes for ${m.object.key} after ${m.object.bytes} were sent`,
      "Run `lifeboat replicate` again; if it repeats, check the replica's store.",
    );
  }
  if (lock) await lockStored(lock, m.object.key);
  if (m.config) {
    const cfg = await source.getSmall(m.config.key);
    if (sha256Hex(cfg) !== m.config.sha256) {
      throw new LifeboatError("OBJECT_CORRUPT", `${m.config.key} does not match its manifest in the source store`);
    }
    await target.putSmall(m.config.key, cfg, "application/json");
    if (lock) await lockStored(lock, m.config.key);
  }
  await target.putSmall(`${dir}/${MANIFEST_NAME}`, raw, "application/json");
  if (lock) await lockStored(lock, `${dir}/${MANIFEST_NAME}`);
  return {
    id,
    replica: replica.name,
    bytes: m.object.bytes,
    sha256: m.object.sha256,
    manifestSha256: sha256Hex(raw),
    ...(lock ? { lockUntil: lock.until.toISOString() } : {}),
  };
}
