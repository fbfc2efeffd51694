import type { z } from "zod";
import type { BackupCopies } from "../../shared/api/channels/replica-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { openNamedStore, profileStores } from "./profile-stores.ts";
import { committedIds } from "./replicate.ts";

/** Which of the profile's stores hold each committed backup; a store that cannot be listed says why. */
export async function whereBackupsAre(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret">,
): Promise<z.infer<typeof BackupCopies>> {
  const stores: z.infer<typeof BackupCopies>["stores"] = [];
  const held = new Map<string, Set<string>>();
  const listed: string[] = [];
  for (const s of profileStores(profile)) {
    try {
      const store = await openNamedStore(s, ctx);
      // Opening a store does not reach it: only a listing that succeeds shows it as reachable (once).
      const ids = await committedIds(store, profile.name);
      stores.push({ name: s.name, store: store.description });
      for (const id of ids) held.set(id, (held.get(id) ?? new Set()).add(s.name));
      listed.push(s.name);
    } catch (e) {
      stores.push({
        name: s.name,
        store: s.storage.kind === "s3" ? `s3://${s.storage.bucket}` : s.storage.path,
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  const backups = [...held.keys()]
    .sort()
    .reverse()
    .map((id) => {
      const on = listed.filter((n) => held.get(id)!.has(n));
      return { id, on, missingFrom: listed.filter((n) => !on.includes(n)) };
    });
  return { stores, backups };
}
