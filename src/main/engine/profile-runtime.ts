import type { DatabaseTarget, Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { chooseTools, discoverTools, type PgToolset } from "../postgres/tools.ts";
import { openStore } from "../storage/open-store.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import type { EngineContext } from "./engine-context.ts";
import { idleTimeoutMs } from "./peer-timeouts.ts";

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

export function profileStore(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret"> & { env?: NodeJS.ProcessEnv },
): Promise<BackupStore> {
  return openStore(profile.storage, ctx.resolveSecret, { idleTimeoutMs: idleTimeoutMs(ctx.env) });
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

/**
 * pg_restore for restoring an archive made by pg_dump `dump` into a server running `target`. pg_restore must read the
 * archive, so it must be at least as new as the pg_dump that wrote it; it talks to any server version (restoring an
 * older archive into a newer server is PostgreSQL's normal upgrade path). Preferred: one at least as new as the
 * target too (it knows that server best); else the newest that reads the archive. `newer` says which was taken.
 */
export async function restoreToolsFor(
  profile: Profile,
  dump: { major: number; version: string },
  targetMajor: number,
  env?: NodeJS.ProcessEnv,
): Promise<PgToolset> {
  const found = await discoverTools({
    ...(profile.tools.pgBinDir ? { configuredDir: profile.tools.pgBinDir } : {}),
    ...(env ? { env } : {}),
  });
  const best = found.filter((t) => t.major >= Math.max(dump.major, targetMajor)).sort((a, b) => a.major - b.major)[0];
  if (best) return chooseTools([best, ...found.filter((t) => t.major === best.major)], best.major, dump.version);
  try {
    return chooseTools(found, dump.major, dump.version);
  } catch (e) {
    if (!(e instanceof LifeboatError) || e.code !== "TOOLS_TOO_OLD") throw e;
    throw new LifeboatError(
      "TOOLS_TOO_OLD",
      `this backup was written by pg_dump ${dump.version}, and only an equally new pg_restore can read it; the newest found is older: ${found.map((t) => `${t.version} in ${t.dir}`).join("; ")}`,
      e.hint,
      e.details,
    );
  }
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
