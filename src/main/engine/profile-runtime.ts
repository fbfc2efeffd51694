import type { DatabaseTarget, Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { chooseTools, discoverTools, type PgToolset } from "../postgres/tools.ts";
import { openStore } from "../storage/open-store.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import type { EngineContext } from "./engine-context.ts";

export async function resolveConn(
  target: DatabaseTarget,
  ctx: Pick<EngineContext, "resolveSecret">,
): Promise<ConnInfo> {
  const password = target.password ? await ctx.resolveSecret(target.password) : undefined;
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    sslmode: target.sslmode,
    ...(target.options ? { options: target.options } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

export function profileStore(profile: Profile, ctx: Pick<EngineContext, "resolveSecret">): Promise<BackupStore> {
  return openStore(profile.storage, ctx.resolveSecret);
}

/** Tools whose major is at least `major`, chosen before any work starts so a mismatch fails fast. */
export async function toolsFor(
  profile: Profile,
  major: number,
  version: string,
  env?: NodeJS.ProcessEnv,
): Promise<PgToolset> {
  const found = await discoverTools({
    ...(profile.tools.pgBinDir ? { configuredDir: profile.tools.pgBinDir } : {}),
    ...(env ? { env } : {}),
  });
  return chooseTools(found, major, version);
}

export async function resolveIdentities(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret">,
  identityText?: string,
): Promise<string[]> {
  const text =
    identityText ?? (profile.encryption.identity ? await ctx.resolveSecret(profile.encryption.identity) : undefined);
  if (!text) {
    throw new LifeboatError(
      "IDENTITY_MISSING",
      `profile "${profile.name}" has no age identity to decrypt backups with`,
      `Set encryption.identity to a keychain: or env: reference holding the AGE-SECRET-KEY-1… identity (\`lifeboat keys generate\` makes one), or pass --identity-file.`,
    );
  }
  const lines = (t: string) =>
    t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
  if (identityText !== undefined) return lines(text);
  // After a key rotation, older backups need the retired identities: those this machine can reach are tried too.
  const retired: string[] = [];
  for (const r of profile.encryption.retired) {
    if (!r.identity) continue;
    const t = await ctx.resolveSecret(r.identity).catch(() => "");
    retired.push(...lines(t));
  }
  return [...lines(text), ...retired];
}
