// Storing and deleting keychain entries, and the journal record of each (the reference, never the value).
import { LifeboatError } from "../../shared/errors.ts";
import type { Journal } from "../journal/journal.ts";
import { deleteKeychainSecret, keychainStatus, setKeychainSecret } from "../secrets/keychain.ts";
import { rememberSecret } from "../secrets/redact.ts";

export async function storeSecret(
  name: string,
  value: string,
  journal: Journal,
): Promise<{ name: string; ref: string; stored: true }> {
  // Remembered before anything can fail, so no error or log line can carry it.
  rememberSecret(value);
  const status = await keychainStatus();
  if (!status.available)
    throw new LifeboatError(
      "KEYCHAIN_UNAVAILABLE",
      status.message ?? "no OS keychain is available",
      "Use env: references for headless runs.",
    );
  await setKeychainSecret(name, value);
  const ref = `keychain:${name}`;
  await journal.append({
    kind: "secret.set",
    summary: `Secret ${ref} stored`,
    details: { ref, backend: status.backend },
    outcome: "ok",
  });
  return { name, ref, stored: true };
}

export async function deleteSecret(name: string, journal: Journal): Promise<{ name: string; deleted: boolean }> {
  const deleted = await deleteKeychainSecret(name);
  const ref = `keychain:${name}`;
  await journal.append({
    kind: "secret.delete",
    summary: `Secret ${ref} ${deleted ? "deleted" : "was not set"}`,
    details: { ref, deleted },
    outcome: "ok",
  });
  return { name, deleted };
}
