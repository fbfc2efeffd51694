import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { findLiteralSecrets } from "../config/find-literal-secrets.ts";
import { redactDeep } from "../secrets/redact.ts";
import type { BackupStore } from "../storage/backup-store.ts";
import { LIFEBOAT_VERSION } from "../version.ts";
import { CONFIG_SNAPSHOT_NAME, sha256Hex } from "./backup-layout.ts";

/**
 * The profile as configured for this backup, stored in the backup's folder so the setup survives the laptop. A config
 * holds references only (a literal secret is refused when it is read); this checks again before anything leaves the
 * machine, and scrubs every string of known secret values.
 */
export async function storeConfigSnapshot(
  store: BackupStore,
  profile: Profile,
  dir: string,
  now: Date,
): Promise<{ key: string; sha256: string }> {
  const found = findLiteralSecrets(profile, []);
  if (found.length) {
    throw new LifeboatError(
      "CONFIG_LITERAL_SECRET",
      `profile "${profile.name}" holds a secret value; its configuration is not stored beside the backup`,
      "Replace the value with a keychain: or env: reference.",
    );
  }
  const body =
    JSON.stringify(
      {
        format: "lifeboat-profile/1",
        savedAt: now.toISOString(),
        lifeboatVersion: LIFEBOAT_VERSION,
        profile: redactDeep(profile),
      },
      null,
      2,
    ) + "\n";
  const key = `${dir}/${CONFIG_SNAPSHOT_NAME}`;
  await store.putSmall(key, body, "application/json");
  return { key, sha256: sha256Hex(body) };
}
