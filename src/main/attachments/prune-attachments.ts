// Retention for attachment sets: runs are kept by the same policy as backups (the last N, and the first run of each
// kept day, week, month and year), so a file deleted from the source stays restorable for as long as a retained run
// lists it. A blob is deleted only when no retained run refers to it and its run is over a day old (a run still going
// has blobs no manifest names yet). Nothing is pruned while runs are failing (the newest run is stale).
import type { RetentionPolicy } from "../../shared/retention-policy.ts";
import { idTime } from "../backup/backup-layout.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { isRefusal, objectLockFor, refusalText } from "../object-lock/s3-object-lock.ts";
import { generationsOf } from "../retention/generations.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { attachmentBase, listRuns, loadRun, runManifestKey } from "./attachment-catalog.ts";

const DAY = 86_400_000;

export interface AttachmentPruneResult {
  set: string;
  keep: string[];
  remove: string[];
  /** Blobs no retained run refers to. */
  orphanBlobs: number;
  refused: string | null;
  deletedRuns: string[];
  deletedBlobs: number;
  failures: string[];
}

/** Deletes a key for good: every version on a versioned bucket, or the object. */
async function deleteKey(store: BackupStore, key: string): Promise<void> {
  const tool = objectLockFor(store);
  const versions = tool ? await tool.versionsIfSupported(key) : null;
  if (tool && versions) {
    for (const v of versions.filter((x) => x.key === key)) await tool.deleteVersion(key, v.versionId);
    return;
  }
  await store.delete(key);
}

export async function pruneAttachmentSet(
  profileName: string,
  set: string,
  store: BackupStore,
  policy: RetentionPolicy,
  opts: { now: number; apply: boolean; maxAgeMinutes: number; ctx: Pick<EngineContext, "journal"> },
): Promise<AttachmentPruneResult> {
  const runs = await listRuns(store, profileName, set);
  const out: AttachmentPruneResult = {
    set,
    keep: [],
    remove: [],
    orphanBlobs: 0,
    refused: null,
    deletedRuns: [],
    deletedBlobs: 0,
    failures: [],
  };
  if (!runs.length) return out;
  const newest = idTime(runs[0]!)!;
  if (opts.now - newest > opts.maxAgeMinutes * 60_000) {
    out.refused = `the newest run of set ${set} is ${Math.round((opts.now - newest) / 3_600_000)} hours old: attachment runs are failing or not running, and nothing is pruned until they work again`;
    out.keep = runs;
    return out;
  }
  const gens = generationsOf(
    runs.map((id) => ({ id, time: idTime(id)! })),
    policy,
  );
  runs.forEach((id, i) => {
    const live = (gens.get(id) ?? []).some((g) => g.until > opts.now);
    (i < policy.keepLast || live ? out.keep : out.remove).push(id);
  });
  const referenced = new Set<string>();
  for (const id of out.keep)
    for (const o of (await loadRun(store, profileName, set, id)).objects) referenced.add(o.blob);
  const blobPrefix = `${attachmentBase(profileName, set)}/blobs/`;
  const orphans = (await store.list(blobPrefix)).filter((b) => {
    if (referenced.has(b.key)) return false;
    const run = b.key.slice(blobPrefix.length).split("/")[0]!;
    return opts.now - (idTime(run) ?? opts.now) > DAY;
  });
  out.orphanBlobs = orphans.length;
  if (!opts.apply) return out;

  const why = (e: unknown) =>
    isRefusal(e) ? `the store refused: ${refusalText(e)}` : e instanceof Error ? e.message : String(e);
  // Manifests first: a run cut short here is simply gone from the list, and its blobs are orphans for the next prune.
  for (const id of out.remove) {
    try {
      await deleteKey(store, runManifestKey(profileName, set, id));
      out.deletedRuns.push(id);
    } catch (e) {
      out.failures.push(`run ${id}: ${why(e)}`);
    }
  }
  for (const b of orphans) {
    try {
      await deleteKey(store, b.key);
      out.deletedBlobs++;
    } catch (e) {
      out.failures.push(`${b.key}: ${why(e)}`);
    }
  }
  await opts.ctx.journal.append({
    kind: "attachments.prune",
    summary: `Attachment set ${set} pruned (profile ${profileName}): ${out.deletedRuns.length} run(s), ${out.deletedBlobs} blob(s) deleted`,
    profile: profileName,
    outcome: out.failures.length ? "failed" : "ok",
    details: { set, deletedRuns: out.deletedRuns, deletedBlobs: out.deletedBlobs, failures: out.failures.slice(0, 20) },
  });
  return out;
}
