import type { DeepVerifyResult } from "../../shared/api/channels/backup-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { restoreInto } from "../restore/restore-into.ts";
import { withScratchServer } from "./scratch-server.ts";

/** Restores the backup into a throwaway database (see withScratchServer) and proves every table's exact row count. */
export async function deepVerify(
  profile: Profile,
  m: BackupManifest,
  identities: string[],
  store: BackupStore,
  ctx: EngineContext,
): Promise<DeepVerifyResult> {
  const started = Date.now();
  const database = `lifeboat_verify_${m.id.replace(/[^0-9a-z]/gi, "_").toLowerCase()}`;
  return withScratchServer(profile, m.server.major, database, ctx, async (server, scratch) => {
    const r = await restoreInto(profile, m, store, identities, server, { database, noOwner: true, noAcl: true }, ctx);
    return { scratch, database, tables: r.tables, durationMs: Date.now() - started };
  });
}
