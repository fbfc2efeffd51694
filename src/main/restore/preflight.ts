// The restore wizard's pre-flight: every precondition checked read-only and independently, so one failure hides no
// other. The restore itself re-checks all of them; this is for showing the operator what will happen first.
import type { RestorePreflightResult } from "../../shared/api/channels/backup-channels.ts";
import type { Check } from "../../shared/api/common-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { describeError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { findBackup } from "../backup/backup-catalog.ts";
import { identityToRecipient } from "../crypto/age-keys.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveConn, resolveIdentities, toolsFor } from "../engine/profile-runtime.ts";
import { isPooledHost } from "../postgres/pooled-host.ts";
import { planTarget } from "./restore-target.ts";
import type { BackupStore } from "../storage/backup-store.ts";

export interface PreflightInput {
  id: string;
  database: string;
  force?: boolean;
  confirm?: string;
}

export async function restorePreflight(
  profile: Profile,
  target: Profile,
  store: BackupStore,
  input: PreflightInput,
  ctx: EngineContext,
): Promise<RestorePreflightResult> {
  const checks: Check[] = [];
  const run = async (name: string, fn: () => Promise<string>): Promise<void> => {
    try {
      checks.push({ name, ok: true, detail: await fn() });
    } catch (e) {
      checks.push({ name, ok: false, detail: describeError(e) });
    }
  };
  const out: RestorePreflightResult["target"] = { host: target.database.host, database: input.database };
  let m: BackupManifest | undefined;
  await run("backup", async () => {
    m = await findBackup(store, profile.name, input.id);
    return `${m.id}: committed, ${m.tables.length} tables, ${m.tables.reduce((a, t) => a + t.rows, 0)} rows in the manifest`;
  });
  await run("decryption key", async () => {
    const mine = (await resolveIdentities(profile, ctx)).map(identityToRecipient);
    const recipients = m?.encryption.recipients ?? profile.encryption.recipients;
    const match = recipients.find((r) => mine.includes(r));
    if (!match)
      throw new Error(
        "the profile's identity matches none of the backup's recipients: it cannot be decrypted with this key",
      );
    return `opens backups encrypted to ${match.slice(0, 12)}…`;
  });
  if (m) {
    const manifest = m;
    await run("pg_restore", async () => {
      const t = await toolsFor(target, manifest.pgDump.major, manifest.pgDump.version, ctx.env);
      return `${t.version} in ${t.dir} (the backup was made by pg_dump ${manifest.pgDump.version})`;
    });
  }
  await run("direct connection", async () => {
    if (isPooledHost(target.database.host, target.database.options))
      throw new Error(
        `${target.database.host} is a pooled endpoint; pg_restore needs the direct host (without "-pooler")`,
      );
    return target.database.host;
  });
  await run("target database", async () => {
    const plan = await planTarget(await resolveConn(target.database, ctx), input.database, {
      ...(input.force ? { force: true } : {}),
      ...(input.confirm ? { confirm: input.confirm } : {}),
      replacesWhole: true,
    });
    out.exists = plan.exists;
    out.empty = plan.exists && !plan.overwrite;
    if (!plan.exists) return `"${input.database}" does not exist: it will be created`;
    return plan.overwrite
      ? `"${input.database}" holds data: it will be OVERWRITTEN (confirmed)`
      : `"${input.database}" exists and is empty`;
  });
  return { ok: checks.every((c) => c.ok), checks, target: out };
}
