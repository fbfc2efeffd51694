import type { Profile } from "../../shared/config.ts";
import { ERROR_CODES, isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { findBackup } from "../backup/backup-catalog.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { namedStore, openNamedStore, PRIMARY, profileStores, storeLabel } from "./profile-stores.ts";

/** Which copy of a backup a verify or restore read, and why not the primary's when it did not. */
export interface BackupSource {
  store: BackupStore;
  manifest: BackupManifest;
  /** "primary" or the replica's name. */
  name: string;
  label: string;
  /** Set when a replica was used because the primary could not serve the backup. */
  fallback?: string;
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The primary could not serve it, but a replica might: the store is unreachable or refuses, or lacks the backup. */
function canFallBack(e: unknown, id: string): boolean {
  if (!isLifeboatError(e)) return false;
  if (ERROR_CODES[e.code] === "CONNECTION") return true;
  return e.code === "BACKUP_NOT_FOUND" && id !== "latest";
}

/**
 * Opens the backup where it can be read: the named store when one is asked for, otherwise the primary, falling back
 * to each replica in turn when the primary is unreachable (or, for a given id, no longer holds it). The result says
 * which copy it is, so every report can say which copy it used.
 */
export async function openBackupSource(
  profile: Profile,
  id: string,
  ctx: Pick<EngineContext, "resolveSecret">,
  opts: { store?: string } = {},
): Promise<BackupSource> {
  if (opts.store) {
    const s = namedStore(profile, opts.store);
    const store = await openNamedStore(s, ctx);
    return { store, manifest: await findBackup(store, profile.name, id), name: s.name, label: storeLabel(s, store) };
  }
  const [primary, ...replicas] = profileStores(profile);
  let primaryError: unknown;
  try {
    const store = await openNamedStore(primary!, ctx);
    return {
      store,
      manifest: await findBackup(store, profile.name, id),
      name: PRIMARY,
      label: storeLabel(primary!, store),
    };
  } catch (e) {
    if (!replicas.length || !canFallBack(e, id)) throw e;
    primaryError = e;
  }
  const tried: string[] = [];
  for (const r of replicas) {
    try {
      const store = await openNamedStore(r, ctx);
      const manifest = await findBackup(store, profile.name, id);
      return { store, manifest, name: r.name, label: storeLabel(r, store), fallback: reason(primaryError) };
    } catch (e) {
      tried.push(`replica "${r.name}": ${reason(e)}`);
    }
  }
  const p = primaryError as LifeboatError;
  throw new LifeboatError(
    p.code,
    p.message,
    `${p.hint ?? ""} No replica could serve it either: ${tried.join("; ")}.`.trim(),
    p.details,
    {
      cause: p,
    },
  );
}
