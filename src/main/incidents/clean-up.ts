// Deleting what a recovery left, on the operator's word: Lifeboat's Neon branches through the guarded branch delete
// (never the default or a protected branch), and databases a restore left, each only with its name typed, only if it
// is one the listing names (a staging database, or one a journaled restore created), never production. One failure
// does not stop the rest; each deletion is journaled.
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import { deleteBranch } from "../neon/neon-branches.ts";
import type { NeonRunOptions } from "../neon/neon-client.ts";
import { dropDatabase, leftoverDatabases, STAGING_PREFIX } from "../restore/restore-target.ts";
import type { IncidentMade } from "./leftovers.ts";
import type { CleanUpRequest, CleanUpResult } from "../../shared/api/channels/leftover-channels.ts";

async function dropLeftover(
  production: Profile,
  owner: Profile,
  d: CleanUpRequest["databases"][number],
  made: IncidentMade,
  ctx: EngineContext,
): Promise<void> {
  await ctx.journal.step(
    {
      kind: "restore.drop-leftover",
      summary: `Drop database "${d.database}" left by a restore on ${owner.database.host} (profile ${owner.name})`,
      profile: production.name,
      details: { database: d.database, host: owner.database.host, owner: owner.name },
    },
    async () => {
      if (d.confirm !== d.database)
        throw new LifeboatError(
          "CONFIRMATION_REQUIRED",
          `dropping "${d.database}" needs its name typed to confirm; nothing was dropped`,
          `Type ${d.database} to confirm.`,
        );
      if (owner.database.host === production.database.host && d.database === owner.database.database)
        throw new LifeboatError(
          "DROP_REFUSED",
          `refusing to drop "${d.database}": it is the production database of profile ${owner.name}`,
          "Only databases a restore left behind are cleaned up here.",
        );
      const server = await resolveConn(owner.database, ctx);
      const restored = made.databases.get(owner.name) ?? new Set<string>();
      const found = await leftoverDatabases(server, restored.has(d.database) ? [d.database] : []);
      const known =
        (d.database.startsWith(STAGING_PREFIX) && found.staging.some((s) => s.database === d.database)) ||
        found.restored.some((r) => r.database === d.database);
      if (!known)
        throw new LifeboatError(
          "DROP_REFUSED",
          `refusing to drop "${d.database}": it is neither an unused staging database nor one a restore journaled here created`,
          "Drop other databases yourself, where their owner can judge.",
        );
      await dropDatabase(server, d.database);
    },
  );
}

export async function cleanUpLeftovers(
  profile: Profile,
  req: CleanUpRequest,
  made: IncidentMade,
  profileByName: (name: string) => Promise<Profile>,
  neonOptions: NeonRunOptions,
  ctx: EngineContext,
): Promise<CleanUpResult> {
  const out: CleanUpResult = { deleted: [], failed: [] };
  for (const branch of req.branches) {
    try {
      await deleteBranch(profile, { ...neonOptions, branch }, ctx);
      out.deleted.push({ what: "branch", name: branch });
    } catch (e) {
      out.failed.push({ what: "branch", name: branch, error: toErrorInfo(e) });
    }
  }
  for (const d of req.databases) {
    try {
      const owner = d.profile === profile.name ? profile : await profileByName(d.profile);
      await dropLeftover(profile, owner, d, made, ctx);
      out.deleted.push({ what: "database", name: d.database });
    } catch (e) {
      out.failed.push({ what: "database", name: d.database, error: toErrorInfo(e) });
    }
  }
  return out;
}
