import { MANIFEST_NAME } from "../../shared/manifest.ts";
import type { BackupStore } from "./backup-store.ts";

const MAX = 5000;

/**
 * A manifest is written once, last, as the backup's commit marker, and never rewritten, so its bytes can be kept for the
 * life of the process. Listing stays live: a deleted backup disappears at the next list. This keeps the dashboard's
 * refresh to one LIST per profile.
 */
export class ManifestCache {
  private readonly bytes = new Map<string, Buffer>();

  wrap(store: BackupStore): BackupStore {
    const cache = this.bytes;
    const prefix = store.description;
    return new Proxy(store, {
      get(target, prop, receiver) {
        if (prop !== "getSmall") {
          const v = Reflect.get(target, prop, receiver);
          return typeof v === "function" ? v.bind(target) : v;
        }
        return async (key: string): Promise<Buffer> => {
          if (!key.endsWith(`/${MANIFEST_NAME}`)) return target.getSmall(key);
          const k = `${prefix}\u0000${key}`;
          const hit = cache.get(k);
          if (hit) return hit;
          const b = await target.getSmall(key);
          if (cache.size >= MAX) cache.delete(cache.keys().next().value as string);
          cache.set(k, b);
          return b;
        };
      },
    });
  }
}
