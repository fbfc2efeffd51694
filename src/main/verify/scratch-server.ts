import type { DeepVerifyResult } from "../../shared/api/channels/backup-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { LocalCluster, findServerBinDir } from "../postgres/local-cluster.ts";
import { dropDatabase } from "../restore/restore-target.ts";

/** Where a deep verify or a restore drill restored its throwaway copy. */
export type ScratchKind = DeepVerifyResult["scratch"];

/**
 * Runs `fn` against a throwaway database server: the profile's `verify.scratch` when configured (the database is
 * dropped afterwards), else a temporary local cluster of the backup's major that is destroyed afterwards. Production
 * is never the scratch space.
 */
export async function withScratchServer<T>(
  profile: Profile,
  major: number,
  database: string,
  ctx: Pick<EngineContext, "resolveSecret">,
  fn: (server: ConnInfo, kind: ScratchKind) => Promise<T>,
): Promise<T> {
  if (profile.verify?.scratch) {
    const server = await resolveConn(profile.verify.scratch, ctx);
    try {
      return await fn(server, "profile-scratch");
    } finally {
      await dropDatabase(server, database).catch(() => undefined);
    }
  }
  const cluster = await LocalCluster.create({ binDir: await findServerBinDir({ major }) });
  try {
    return await fn(cluster.conn("postgres"), "local-cluster");
  } finally {
    await cluster.destroy();
  }
}
