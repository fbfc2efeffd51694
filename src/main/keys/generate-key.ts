// A new age key pair whose identity goes straight into the OS keychain: only the public recipient is returned,
// printed and journaled.
import { LifeboatError } from "../../shared/errors.ts";
import { generateIdentity } from "../crypto/age-keys.ts";
import type { Journal } from "../journal/journal.ts";
import { getKeychainSecret, setKeychainSecret } from "../secrets/keychain.ts";
import { rememberSecret } from "../secrets/redact.ts";

export const DEFAULT_IDENTITY_NAME = "lifeboat-age-identity";

export async function generateKeyIntoKeychain(
  opts: { name?: string; overwrite?: boolean },
  journal: Journal,
): Promise<{ recipient: string; identityRef: string }> {
  const name = opts.name ?? DEFAULT_IDENTITY_NAME;
  if (!opts.overwrite && (await getKeychainSecret(name))) {
    throw new LifeboatError(
      "USAGE",
      `keychain:${name} already holds an identity; it was left as it is`,
      "Choose another --name, or pass --overwrite if no backup depends on the old key.",
    );
  }
  const { identity, recipient } = generateIdentity();
  rememberSecret(identity);
  await setKeychainSecret(name, identity);
  const identityRef = `keychain:${name}`;
  await journal.append({
    kind: "keys.generate",
    summary: `age identity generated into ${identityRef}`,
    details: { recipient, identityRef },
    outcome: "ok",
  });
  return { recipient, identityRef };
}
