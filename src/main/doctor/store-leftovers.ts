// In a profile's store: multipart uploads a killed backup never completed or aborted (billed by the byte until
// removed), and backup objects whose run never wrote a manifest (never restorable, also billed).
import type { Profile } from "../../shared/config.ts";
import { listBackups } from "../backup/backup-catalog.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import type { Leftover } from "./leftover.ts";

/** A backup object without a manifest this old is a dead run's, not one whose manifest is being written right now. */
const UNCOMMITTED_AFTER_MS = 15 * 60_000;

const mb = (bytes: number): string => `${Math.max(1, Math.round(bytes / (1024 * 1024)))} MB`;

export async function storeLeftovers(profile: Profile, store: BackupStore, now: Date): Promise<Leftover[]> {
  const out: Leftover[] = [];
  for (const u of await store.listUnfinished()) {
    if (!u.key.startsWith(`${profile.name}/`)) continue;
    out.push({
      id: `unfinished-upload:${profile.name}:${u.id}`,
      kind: "unfinished-upload",
      profile: profile.name,
      what: `unfinished upload of ${u.key} in ${store.description}, begun ${u.started.toISOString()} (a backup that was killed or lost its connection)`,
      fix: "abort it (its parts are deleted)",
      repair: async () => {
        await store.abortUnfinished(u);
        return `aborted the unfinished upload of ${u.key}`;
      },
    });
  }
  const catalog = await listBackups(store, profile.name);
  for (const inc of catalog.incomplete) {
    const id = inc.dir.slice(inc.dir.lastIndexOf("/") + 1);
    const newest = (await store.list(`${inc.dir}/`)).reduce((t, o) => Math.max(t, o.lastModified.getTime()), 0);
    if (now.getTime() - newest < UNCOMMITTED_AFTER_MS) continue;
    out.push({
      id: `uncommitted-backup:${profile.name}:${inc.dir}`,
      kind: "uncommitted-backup",
      profile: profile.name,
      what: `backup ${id} of profile ${profile.name} never committed: ${inc.keys.length} object(s), ${mb(inc.bytes)}, and no manifest (never restorable)`,
      fix: "delete its objects",
      repair: async () => {
        // Checked again: a manifest that appeared since the scan makes it a backup, which is never deleted here.
        if ((await store.head(`${inc.dir}/manifest.json`)) !== null)
          throw new Error(`backup ${id} has a manifest now: it is committed and is left alone`);
        for (const key of inc.keys) await store.delete(key);
        return `deleted the ${inc.keys.length} object(s) of uncommitted backup ${id}`;
      },
    });
  }
  return out;
}
