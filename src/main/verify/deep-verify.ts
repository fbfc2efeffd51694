import type { Profile } from "../../shared/config.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import { LocalCluster, findServerBinDir } from "../postgres/local-cluster.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { restoreInto } from "../restore/restore-into.ts";
import { dropDatabase } from "../restore/restore-target.ts";
import type { TableComparison } from "./compare-counts.ts";

export interface DeepVerifyResult {
  scratch: "local-cluster" | "profile-scratch";
  database: string;
  tables: TableComparison[];
  durationMs: number;
}

/**
 * Restores the backup into a throwaway database and proves every table's exact row count. The scratch server is the
 * profile's `verify.scratch` database when configured, else a temporary local cluster that is destroyed afterwards:
 * production is never the scratch space.
 */
export async function deepVerify(
  profile: Profile,
  m: BackupManifest,
  identities: string[],
  store: BackupStore,
  ctx: EngineContext,
): Promise<DeepVerifyResult> {
  const started = Date.now();
  const database = `lifeboat_verify_${m.id.replace(/[^0-9a-z]/gi, "_").toLowerCase()}`;
  const restoreOpts = { database, noOwner: true, noAcl: true };
  if (profile.verify?.scratch) {
    const server = await resolveConn(profile.verify.scratch, ctx);
    try {
      const r = await restoreInto(profile, m, store, identities, server, restoreOpts, ctx);
      return { scratch: "profile-scratch", database, tables: r.tables, durationMs: Date.now() - started };
    } finally {
      await dropDatabase(server, database).catch(() => undefined);
    }
  }
  const cluster = await LocalCluster.create({ binDir: await findServerBinDir({ major: m.server.major }) });
  try {
    const r = await restoreInto(profile, m, store, identities, cluster.conn("postgres"), restoreOpts, ctx);
    return { scratch: "local-cluster", database, tables: r.tables, durationMs: Date.now() - started };
  } finally {
    await cluster.destroy();
  }
}
