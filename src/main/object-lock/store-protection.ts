import type { StoreProtection } from "../../shared/api/channels/protection-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { openNamedStore, profileStores } from "../replicas/profile-stores.ts";
import { objectLockFor } from "./s3-object-lock.ts";

/** What each of the profile's stores offers against deletion; a store that cannot be asked says why. */
export async function storeProtections(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret">,
): Promise<StoreProtection[]> {
  const out: StoreProtection[] = [];
  for (const s of profileStores(profile)) {
    try {
      const store = await openNamedStore(s, ctx);
      const tool = objectLockFor(store);
      out.push({
        name: s.name,
        ...(tool
          ? await tool.protection(store.description)
          : {
              store: store.description,
              kind: "folder" as const,
              versioning: "off" as const,
              objectLock: "unsupported" as const,
              defaultRetention: null,
              notes: [
                "a folder cannot refuse a delete: keep it offline (a removable disk, unplugged) or add a replica in a bucket with Object Lock",
              ],
            }),
      });
    } catch (e) {
      out.push({
        name: s.name,
        store: s.storage.kind === "s3" ? `s3://${s.storage.bucket}` : `folder:${s.storage.path}`,
        kind: s.storage.kind,
        versioning: "unknown",
        objectLock: "unsupported",
        defaultRetention: null,
        notes: [],
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return out;
}
