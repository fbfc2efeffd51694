// The two sides of a forensics run, from the contract's one model of "a database" (DatabaseRef): a profile's database,
// a secret holding a postgresql:// URI, or a branch of the profile's Neon project. A URI carries a password: it is held
// wrapped (remembered for redaction) and never leaves the engine.
import type { DatabaseRef } from "../../shared/api/channels/forensics-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import { findBranch } from "../neon/branch-names.ts";
import { openNeonProject, type NeonRunOptions } from "../neon/neon-client.ts";
import { SecretUri } from "../neon/secret-uri.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import type { ForensicsContext } from "./forensics-context.ts";

export interface SidesRequest {
  /** The profile forensics works for; loaded only when needed (production by default, Neon branches, the journal). */
  profile?: string;
  production?: DatabaseRef;
  source?: DatabaseRef;
}

export interface Sides {
  production: ConnInfo;
  /** The recovery branch, when the request names one. */
  branch?: ConnInfo;
  fctx: ForensicsContext;
}

type ProfileByName = (name?: string) => Promise<Profile>;

async function secretConn(ref: string, side: string, ctx: Pick<EngineContext, "resolveSecret">): Promise<ConnInfo> {
  const uri = new SecretUri(await ctx.resolveSecret(ref));
  try {
    return uri.toConnInfo();
  } catch {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `the secret ${ref} for the ${side} does not hold a postgresql:// connection URI`,
      "Store the branch's full URI in it (postgresql://user:password@host/db?sslmode=require), e.g. with `lifeboat neon recover-to --save-uri keychain:NAME` or `lifeboat secret set NAME`.",
      { ref },
    );
  }
}

async function neonBranchConn(home: Profile, branch: string, ctx: EngineContext, neon: NeonRunOptions) {
  const project = await openNeonProject(home, ctx, neon);
  const found = findBranch(await project.branches(), branch);
  if (!found)
    throw new LifeboatError(
      "NEON_NOT_FOUND",
      `project ${project.projectId} has no branch "${branch}"`,
      "Pick a branch from the branch list; it may have been deleted.",
      { branch },
    );
  return new SecretUri(await project.connectionUri(found)).toConnInfo();
}

/** One database's connection; `home` is the profile whose Neon project holds a neon-branch. */
export async function databaseConn(
  ref: DatabaseRef,
  side: string,
  home: Profile | undefined,
  profileByName: ProfileByName,
  ctx: EngineContext,
  neon: NeonRunOptions = {},
): Promise<ConnInfo> {
  if (ref.kind === "profile") return resolveConn((await profileByName(ref.profile)).database, ctx);
  if (ref.kind === "secret") return secretConn(ref.ref, side, ctx);
  if (!home) throw new LifeboatError("USAGE", `a Neon branch as the ${side} needs the profile whose project holds it`);
  return neonBranchConn(home, ref.branch, ctx, neon);
}

/** Resolves production (default: the profile's database) and the source, with the journal context of the run. */
export async function forensicsSides(
  req: SidesRequest,
  profileByName: ProfileByName,
  ctx: EngineContext,
  neon: NeonRunOptions = {},
): Promise<Sides> {
  const needsHome = req.profile !== undefined || !req.production || req.source?.kind === "neon-branch";
  const home = needsHome ? await profileByName(req.profile) : undefined;
  const conn = (ref: DatabaseRef, side: string) => databaseConn(ref, side, home, profileByName, ctx, neon);
  const [production, branch] = await Promise.all([
    req.production ? conn(req.production, "production") : resolveConn(home!.database, ctx),
    req.source ? conn(req.source, "branch") : undefined,
  ]);
  return {
    production,
    ...(branch ? { branch } : {}),
    fctx: { journal: ctx.journal, ...(home ? { profile: home.name } : {}) },
  };
}
