import type { NewDatabaseConnection, RunRestoreResult } from "../../shared/api/channels/backup-channels.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn, resolveIdentities } from "../engine/profile-runtime.ts";
import { openBackupSource } from "../replicas/backup-source.ts";
import { restoreInto, type RestoreOptions } from "./restore-into.ts";

export type { NewDatabaseConnection, RunRestoreResult };

export function connectionOf(target: Profile, database: string): NewDatabaseConnection {
  const d = target.database;
  const enc = encodeURIComponent;
  return {
    profile: target.name,
    host: d.host,
    port: d.port,
    database,
    user: d.user,
    sslmode: d.sslmode,
    ...(d.password ? { passwordRef: d.password } : {}),
    uri: `postgresql://${enc(d.user)}@${d.host.includes(":") ? `[${d.host}]` : d.host}:${d.port}/${enc(database)}?sslmode=${d.sslmode}`,
  };
}

export interface RunRestoreOptions extends RestoreOptions {
  id: string;
  /** Restore onto this profile's database server instead of the backup profile's own. */
  targetProfile?: Profile;
  identityText?: string;
  /** Restore from this store ("primary" or a replica's name); default the primary, or a replica if it is down. */
  store?: string;
}

/** Restore a committed backup of `profile` into a database on the target server, journaled before and after. */
export async function runRestore(
  profile: Profile,
  opts: RunRestoreOptions,
  ctx: EngineContext,
): Promise<RunRestoreResult> {
  const targetProfile = opts.targetProfile ?? profile;
  const targetDb = targetProfile.database;
  return ctx.journal.step(
    {
      kind: "restore.run",
      summary: `Restore of backup ${opts.id} (profile ${profile.name}) into "${opts.database}" on ${targetDb.host}`,
      profile: profile.name,
      details: {
        id: opts.id,
        targetHost: targetDb.host,
        targetDatabase: opts.database,
        ...(opts.targetProfile ? { targetProfile: opts.targetProfile.name } : {}),
        force: !!opts.force,
        jobs: opts.jobs ?? 1,
        schemaOnly: !!opts.schemaOnly,
        tables: opts.tables ?? [],
      },
    },
    async () => {
      const source = await openBackupSource(profile, opts.id, ctx, opts.store ? { store: opts.store } : {});
      const { store, manifest: m } = source;
      const identities = await resolveIdentities(profile, ctx, opts.identityText);
      const server = await resolveConn(targetDb, ctx);
      const result = await restoreInto(targetProfile, m, store, identities, server, opts, ctx);
      const used = {
        name: source.name,
        description: store.description,
        ...(source.fallback ? { fallback: source.fallback } : {}),
      };
      return {
        ...result,
        source: used,
        warnings: source.fallback
          ? [
              `restored from ${source.label}: the primary store could not serve it (${source.fallback})`,
              ...result.warnings,
            ]
          : result.warnings,
        connection: connectionOf(targetProfile, result.database),
      };
    },
    (r) => ({
      id: r.id,
      database: r.database,
      created: r.created,
      tables: r.tables.length,
      rows: r.rows,
      verified: true,
      source: r.source,
    }),
  );
}
