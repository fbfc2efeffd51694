import type { BackupLockState } from "../../shared/api/channels/protection-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { findBackup } from "../backup/backup-catalog.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { namedStore, openNamedStore } from "../replicas/profile-stores.ts";
import { backupLockState, backupObjectKeys } from "./backup-lock-state.ts";
import { objectLockFor } from "./s3-object-lock.ts";

/**
 * Puts every object of a backup under legal hold, or releases it. A held object cannot be deleted by anyone, whatever
 * its retention, until the hold is released: for litigation, an audit, an investigation.
 */
export async function setLegalHold(
  profile: Profile,
  id: string,
  hold: boolean,
  ctx: EngineContext,
  opts: { store?: string; now?: () => Date } = {},
): Promise<BackupLockState> {
  const target = namedStore(profile, opts.store);
  return ctx.journal.step(
    {
      kind: hold ? "backup.hold" : "backup.release",
      summary: `${hold ? "Legal hold on" : "Legal hold released from"} backup ${id} (profile ${profile.name}, ${target.name})`,
      profile: profile.name,
      details: { id, store: target.name },
    },
    async () => {
      const store = await openNamedStore(target, ctx);
      const tool = objectLockFor(store);
      if (!tool) {
        throw new LifeboatError(
          "OBJECT_LOCK_UNAVAILABLE",
          `${store.description} is a folder: it cannot hold a backup against deletion`,
          "Legal holds need an S3 bucket with Object Lock enabled.",
        );
      }
      const m = await findBackup(store, profile.name, id);
      for (const key of backupObjectKeys(m)) {
        const current = await tool.state(key);
        if (!current) throw new LifeboatError("BACKUP_NOT_FOUND", `${key} is missing from backup ${id}`);
        await tool.legalHold(key, current.versionId, hold);
      }
      return backupLockState(store, m, (opts.now?.() ?? new Date()).getTime());
    },
    (s) => ({ status: s.status, legalHold: s.legalHold, objects: s.objects.map((o) => [o.key, o.versionId]) }),
  );
}
