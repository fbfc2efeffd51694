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
