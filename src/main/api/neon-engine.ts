// The API's one door to the Neon, drill and forensics engines, so their handlers stay thin adapters.
import type { ForensicsSource } from "../../shared/api/channels/neon-channels.ts";
import type { NeonWindow } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { connFromSource } from "../forensics/connection-source.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import { findBranch } from "../neon/branch-names.ts";
import { openNeonProject, type NeonRunOptions } from "../neon/neon-client.ts";
import { neonWindow } from "../neon/neon-status.ts";
import { SecretUri } from "../neon/secret-uri.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";

/** Defaults for the console: no terminal notes (the journal records each operation), the engine's retry budgets. */
export function neonOptions(): NeonRunOptions {
  return {};
}

export async function neonWindowFor(profile: Profile, ctx: EngineContext): Promise<NeonWindow> {
  return neonWindow(profile, neonOptions(), ctx);
}

export type SourceRef = ForensicsSource;

/**
 * The connection to the side forensics reads from. A Neon branch's URI is fetched from the API for this call and held
 * wrapped: it carries the role's password, so it is remembered for redaction and never leaves the main process.
 */
export async function sourceConn(
  production: Profile,
  source: SourceRef,
  profileByName: (n: string) => Promise<Profile>,
  ctx: EngineContext,
): Promise<ConnInfo> {
  if (source.kind === "profile") return resolveConn((await profileByName(source.profile)).database, ctx);
  if (source.kind === "secret") return connFromSource(source, "recovery branch", ctx);
  const neon = await openNeonProject(production, ctx, neonOptions());
  const branch = findBranch(await neon.branches(), source.branch);
  if (!branch)
    throw new LifeboatError(
      "NEON_NOT_FOUND",
      `project ${neon.projectId} has no branch "${source.branch}"`,
      "Pick a branch from the branch list; it may have been deleted.",
      { branch: source.branch },
    );
  return new SecretUri(await neon.connectionUri(branch)).toConnInfo();
}
