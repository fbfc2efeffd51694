// Which secrets the profiles need and whether each is there: the references only, never a value.
import type { KeychainStatus } from "../../shared/api/channels/profile-channels.ts";
import type { Profile } from "../../shared/config.ts";
import { parseSecretRef, SecretRef } from "../../shared/secret-ref.ts";
import { getKeychainSecret, keychainStatus } from "./keychain.ts";

interface RefAt {
  field: string;
  ref: string;
}

/** Every secret reference in a profile, wherever it sits (database, storage, encryption, scratch, neon…). */
export function secretRefs(value: unknown, path: string[] = []): RefAt[] {
  if (typeof value === "string")
    return /^(keychain|env):/.test(value) && SecretRef.safeParse(value).success
      ? [{ field: path.join("."), ref: value }]
      : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => secretRefs(v, [...path, String(i)]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => secretRefs(v, [...path, k]));
  return [];
}

async function refState(
  ref: string,
  env: NodeJS.ProcessEnv,
  keychain: KeychainStatus,
): Promise<{ state: "set" | "missing" | "unavailable"; message?: string }> {
  const { kind, name } = parseSecretRef(ref);
  if (kind === "env")
    return env[name]
      ? { state: "set" }
      : { state: "missing", message: `environment variable ${name} is not set for this session` };
  if (!keychain.available) return { state: "unavailable", ...(keychain.message ? { message: keychain.message } : {}) };
  try {
    // Read only to learn whether it exists; the value goes no further than this line.
    return (await getKeychainSecret(name))
      ? { state: "set" }
      : { state: "missing", message: `no keychain entry "${name}"` };
  } catch (e) {
    return { state: "unavailable", message: e instanceof Error ? e.message : String(e) };
  }
}

export async function secretStatus(profiles: Profile[], env: NodeJS.ProcessEnv) {
  const keychain = await keychainStatus();
  const refs = [];
  for (const p of profiles) {
    for (const { field, ref } of secretRefs(p)) {
      refs.push({
        profile: p.name,
        field,
        ref,
        kind: parseSecretRef(ref).kind,
        ...(await refState(ref, env, keychain)),
      });
    }
  }
  return { keychain, refs };
}
