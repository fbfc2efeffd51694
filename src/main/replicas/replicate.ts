// Copies what a replica lacks. Run after every backup (the new one) and by `lifeboat replicate` (everything a replica
// fell behind on: it was down, full, or added later). A replica that fails never touches the primary; the next run
// copies what is still missing.
import type { ReplicaOutcome } from "../../shared/api/channels/replica-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { ERROR_CODES, isLifeboatError } from "../../shared/errors.ts";
import { scanBackupFolders } from "../backup/backup-catalog.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { copyBackup } from "./copy-backup.ts";
import { namedStore, openNamedStore, profileStores, type NamedStore } from "./profile-stores.ts";

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
/** A replica that cannot be reached or written is skipped for this run after its first such failure. */
const storeDown = (e: unknown): boolean =>
  isLifeboatError(e) && (ERROR_CODES[e.code] === "CONNECTION" || e.code === "OBJECT_LOCK_UNAVAILABLE");

export async function committedIds(store: BackupStore, profile: string): Promise<Set<string>> {
  return new Set((await scanBackupFolders(store, profile)).filter((f) => f.committed).map((f) => f.id));
}

async function catchUp(
  profile: Profile,
  replica: NamedStore,
  source: BackupStore,
  wanted: string[],
  ctx: EngineContext,
): Promise<ReplicaOutcome> {
  const out: ReplicaOutcome = { name: replica.name, store: "", copied: [], present: 0, failures: [] };
  let target: BackupStore;
  try {
    target = await openNamedStore(replica, ctx);
    out.store = target.description;
    const there = await committedIds(target, profile.name);
    const missing = wanted.filter((id) => !there.has(id));
    out.present = wanted.length - missing.length;
    for (const id of missing) {
      if (ctx.signal?.aborted) {
        out.failures.push({ id, error: "interrupted before it was copied; `lifeboat replicate` copies it" });
        break;
      }
      const started = await ctx.journal.append({
        kind: "replica.copy",
        summary: `Copying backup ${id} to replica ${replica.name} (${target.description})`,
        profile: profile.name,
        outcome: "started",
        details: { id, replica: replica.name },
      });
      try {
        const proof = await copyBackup(profile, id, source, replica, target, ctx.signal ? { signal: ctx.signal } : {});
        const done = await ctx.journal.append({
          kind: "replica.copy",
          summary: `Backup ${id} copied to replica ${replica.name} and proven there (${proof.bytes} bytes, sha256 ${proof.sha256.slice(0, 16)}…)`,
          profile: profile.name,
          outcome: "ok",
          details: { ...proof, startSeq: started.seq },
        });
        out.copied.push({ ...proof, journalSeq: done.seq });
      } catch (e) {
        out.failures.push({ id, error: message(e) });
        await ctx.journal.append({
          kind: "replica.copy",
          summary: `Copying backup ${id} to replica ${replica.name} failed: ${message(e)}`,
          profile: profile.name,
          outcome: "failed",
          details: { id, replica: replica.name, startSeq: started.seq, error: message(e) },
        });
        if (storeDown(e)) {
          out.error = `replica "${replica.name}" failed and was left for the next run: ${message(e)}`;
          break;
        }
      }
    }
  } catch (e) {
    out.error = `replica "${replica.name}" could not be reached: ${message(e)}`;
    if (!out.store) out.store = replica.storage.kind === "s3" ? `s3://${replica.storage.bucket}` : replica.storage.path;
    await ctx.journal.append({
      kind: "replica.copy",
      summary: `Replica ${replica.name} could not be reached; ${wanted.length} backup(s) not checked or copied: ${message(e)}`,
      profile: profile.name,
      outcome: "failed",
      details: { replica: replica.name, ids: wanted.slice(0, 20), error: message(e) },
    });
  }
  return out;
}

/**
 * Brings every replica (or the one named) up to the primary: each committed backup it lacks is copied and proven,
 * newest first. `ids` limits it to those backups (after a backup: the new one).
 */
export async function replicate(
  profile: Profile,
  ctx: EngineContext,
  opts: { replica?: string; ids?: string[] } = {},
): Promise<ReplicaOutcome[]> {
  const [primary, ...replicas] = profileStores(profile);
  const chosen = replicas.filter((r) => !opts.replica || r.name === opts.replica);
  if (opts.replica && !chosen.length) namedStore(profile, opts.replica); // the usage error naming the stores
  if (!chosen.length) return [];
  const source = await openNamedStore(primary!, ctx);
  const all = [...(await committedIds(source, profile.name))].sort().reverse();
  const wanted = opts.ids ? all.filter((id) => opts.ids!.includes(id)) : all;
  const out: ReplicaOutcome[] = [];
  for (const r of chosen) out.push(await catchUp(profile, r, source, wanted, ctx));
  return out;
}
