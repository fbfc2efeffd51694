// The unpooled URI of an existing branch's read-write compute: how forensics reaches a recovery branch by name or id
// (the console's "neon-branch" source) without the URI ever leaving the main process. Read-only, so not journaled.
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { openNeonProject, type NeonRunOptions } from "./neon-client.ts";
import { SecretUri } from "./secret-uri.ts";

export async function branchConnection(
  profile: Profile,
  opts: NeonRunOptions & { branch: string },
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
): Promise<SecretUri> {
  const neon = await openNeonProject(profile, ctx, opts);
  const branch = resolveBranch(await neon.branches(), neon.config, opts.branch);
  const endpoint = (await neon.branchEndpoints(branch)).find((e) => e.type === "read_write");
  if (!endpoint) {
    throw new LifeboatError(
      "NEON_NOT_FOUND",
      `branch ${branch.name} has no read-write compute to connect to`,
      `Add a compute to it in the Neon console, or make a recovery branch from it: lifeboat neon recover-to --parent ${branch.name} <time>.`,
      { projectId: neon.projectId, branch: branch.name, branchId: branch.id },
    );
  }
  return new SecretUri(await neon.connectionUri(branch, endpoint.id));
}

/**
 * The connection string the operator asked to copy (the console's button beside a recovery branch): direct or pooled.
 * The reveal itself is journaled (which branch, which kind, by whom), never the URI, which goes back to the caller
 * alone. Why a channel that returns the secret rather than a clipboard written here: the engine runs headless (the
 * browser host, a server) where no clipboard of the operator's can be reached, while the window the operator is
 * looking at can write its own; the URI is then held only for that one write.
 */
export async function revealConnectionString(
  profile: Profile,
  opts: NeonRunOptions & { branch: string; pooled: boolean },
  ctx: Pick<EngineContext, "resolveSecret" | "signal" | "journal">,
): Promise<{ branch: string; pooled: boolean; uri: string; revealed: true }> {
  const neon = await openNeonProject(profile, ctx, opts);
  const branch = resolveBranch(await neon.branches(), neon.config, opts.branch);
  const kind = opts.pooled ? "pooled" : "direct";
  return ctx.journal.step(
    {
      kind: "neon.connection-string",
      summary: `Connection string (${kind}) of branch ${branch.name} revealed to the operator; the string is not journaled`,
      profile: profile.name,
      details: { projectId: neon.projectId, branch: branch.name, branchId: branch.id, pooled: opts.pooled },
    },
    async () => {
      const endpoint = (await neon.branchEndpoints(branch)).find((e) => e.type === "read_write");
      if (!endpoint)
        throw new LifeboatError(
          "NEON_NOT_FOUND",
          `branch ${branch.name} has no read-write compute to connect to`,
          "Add a compute to it in the Neon console, or make a recovery branch from it.",
          { branch: branch.name },
        );
      const uri = new SecretUri(await neon.connectionUri(branch, endpoint.id, opts.pooled));
      return { branch: branch.name, pooled: opts.pooled, uri: uri.reveal(), revealed: true as const };
    },
    (r) => ({ branch: r.branch, pooled: r.pooled }),
  );
}
