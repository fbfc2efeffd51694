import type { Profile, StorageConfig } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { ObjectLockConfig, RetentionConfig } from "../../shared/retention-policy.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { idleTimeoutMs } from "../engine/peer-timeouts.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { openStore } from "../storage/open-store.ts";

/** One place a profile's backups live: its own storage ("primary") or one of its replicas. */
export interface NamedStore {
  name: string;
  storage: StorageConfig;
  objectLock: ObjectLockConfig | undefined;
  retention: RetentionConfig | undefined;
}

export const PRIMARY = "primary";

/** The primary first, then the replicas in the order the profile names them. */
export function profileStores(profile: Profile): NamedStore[] {
  return [
    { name: PRIMARY, storage: profile.storage, objectLock: profile.objectLock, retention: profile.retention },
    ...profile.replicas.map((r) => ({
      name: r.name,
      storage: r.storage,
      objectLock: r.objectLock,
      retention: r.retention ?? profile.retention,
    })),
  ];
}

export function namedStore(profile: Profile, name: string | undefined): NamedStore {
  const all = profileStores(profile);
  const found = all.find((s) => s.name === (name ?? PRIMARY));
  if (!found) {
    throw new LifeboatError(
      "USAGE",
      `profile "${profile.name}" has no store named "${name}"`,
      `Its stores are: ${all.map((s) => s.name).join(", ")}.`,
    );
  }
  return found;
}

/** Opens it with the same bounded wait on a silent store as the backup's (LIFEBOAT_IDLE_TIMEOUT_SECONDS). */
export function openNamedStore(s: NamedStore, ctx: Pick<EngineContext, "resolveSecret" | "env">): Promise<BackupStore> {
  return openStore(s.storage, ctx.resolveSecret, { idleTimeoutMs: idleTimeoutMs(ctx.env) });
}

/** "replica offsite (s3://…)" or "primary (s3://…)": how reports name a copy. */
export function storeLabel(s: NamedStore, store: BackupStore): string {
  return `${s.name === PRIMARY ? "the primary store" : `replica "${s.name}"`} (${store.description})`;
}
