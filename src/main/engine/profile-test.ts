import type { ProfileTestResult } from "../../shared/api/channels/profile-channels.ts";
import type { Check } from "../../shared/api/common-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { describeError } from "../../shared/errors.ts";
import { findZstd } from "../compress/zstd-cli.ts";
import { identityToRecipient, parseRecipient } from "../crypto/age-keys.ts";
import { serverVersion, withClient } from "../postgres/connect.ts";
import { isPooledHost } from "../postgres/pooled-host.ts";
import { protectionChecks } from "../object-lock/protection-checks.ts";
import { keychainStatus } from "../secrets/keychain.ts";
import type { EngineContext } from "./engine-context.ts";
import { profileStore, resolveConn, resolveIdentities, toolsFor } from "./profile-runtime.ts";

/** Every precondition of a backup and a restore, each checked independently so one failure hides no other. */
export async function testProfile(profile: Profile, ctx: EngineContext): Promise<ProfileTestResult> {
  const checks: Check[] = [];
  const run = async (name: string, fn: () => Promise<string>, warnOnly = false): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await fn() });
    } catch (e) {
      checks.push({ name, ok: false, ...(warnOnly ? { warning: true } : {}), detail: describeError(e) });
    }
  };
  const usesKeychain = JSON.stringify(profile).includes('"keychain:');
  if (usesKeychain) {
    await run("keychain", async () => {
      const s = await keychainStatus();
      if (!s.available) throw new Error(s.message ?? "no keychain available");
      return `${s.backend}${s.persistent ? "" : " (NOT persistent: lost at reboot)"}`;
    });
  }
  await run("direct connection", async () => {
    if (isPooledHost(profile.database.host, profile.database.options))
      throw new Error(
        `${profile.database.host} is a pooled endpoint; pg_dump needs the direct host (without "-pooler")`,
      );
    return profile.database.host;
  });
  let major = 0;
  let version = "";
  await run("database", async () => {
    const conn = await resolveConn(profile.database, ctx);
    const started = Date.now();
    const v = await withClient(conn, async (c) => {
      await c.query("SELECT now()");
      return serverVersion(c);
    });
    major = v.major;
    version = v.version;
    return `PostgreSQL ${v.version}, ${Date.now() - started} ms`;
  });
  if (major) {
    await run("pg_dump/pg_restore", async () => {
      const t = await toolsFor(profile, major, version, ctx.env);
      return `${t.version} in ${t.dir}`;
    });
  }
  await run(
    "compression",
    async () => {
      const z = await findZstd(ctx.env);
      return z ? `zstd at ${z}` : "no zstd found: pg_dump's built-in compression will be used (slower)";
    },
    true,
  );
  await run("storage", async () => {
    const store = await profileStore(profile, ctx);
    await store.check();
    return store.description;
  });
  if (profile.storage.kind === "s3" || profile.replicas.length || profile.objectLock) {
    checks.push(...(await protectionChecks(profile, ctx)));
  }
  await run("encryption recipients", async () => {
    for (const r of profile.encryption.recipients) parseRecipient(r);
    return `${profile.encryption.recipients.length} recipient(s)`;
  });
  await run(
    "restore identity",
    async () => {
      const ids = await resolveIdentities(profile, ctx);
      const mine = ids.map(identityToRecipient);
      const matches = profile.encryption.recipients.filter((r) => mine.includes(r));
      if (!matches.length)
        throw new Error(
          "the identity matches none of the profile's recipients: backups could not be decrypted with it",
        );
      return `opens backups encrypted to ${matches[0]!.slice(0, 12)}…`;
    },
    true,
  );
  return { profile: profile.name, ok: checks.every((c) => c.ok || c.warning), checks };
}
