// Where a side's connection comes from: a profile's database section, or a secret holding a full postgres:// URI
// (a Neon recovery branch's URI, kept in the keychain by `lifeboat neon recover-to --save-uri`). A URI is never
// taken from argv: it carries a password.
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn } from "../engine/profile-runtime.ts";
import { SecretUri } from "../neon/secret-uri.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";

export type ConnectionSource = { kind: "profile"; profile: Profile } | { kind: "secret"; ref: string };

export async function connFromSource(
  source: ConnectionSource,
  side: string,
  ctx: Pick<EngineContext, "resolveSecret">,
): Promise<ConnInfo> {
  if (source.kind === "profile") return resolveConn(source.profile.database, ctx);
  const uri = new SecretUri(await ctx.resolveSecret(source.ref));
  try {
    return uri.toConnInfo();
  } catch {
    throw new LifeboatError(
      "CONFIG_INVALID",
      `the secret ${source.ref} for the ${side} does not hold a postgresql:// connection URI`,
      "Store the branch's full URI in it (postgresql://user:password@host/db?sslmode=require), e.g. with `lifeboat neon recover-to --save-uri keychain:NAME` or `lifeboat secret set NAME`.",
      { ref: source.ref },
    );
  }
}
