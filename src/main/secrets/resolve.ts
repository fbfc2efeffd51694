import { LifeboatError } from "../../shared/errors.ts";
import { SECRET_REF_HELP, SecretRef, looksLikeSecretRef, parseSecretRef } from "../../shared/secret-ref.ts";
import { rememberSecret } from "./redact.ts";

/**
 * The value behind a `keychain:NAME` or `env:VAR` reference. Every value resolved here is remembered for redaction,
 * so it is scrubbed from anything later logged or journaled.
 */
export async function resolveSecret(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (!SecretRef.safeParse(ref).success) {
    // A literal secret is what most often lands here, so only something shaped like a reference is echoed.
    const shown = looksLikeSecretRef(ref) ? ` "${ref}"` : "";
    throw new LifeboatError("CONFIG_INVALID", `Not a valid secret reference${shown}.`, SECRET_REF_HELP);
  }
  const { kind, name } = parseSecretRef(ref);
  // The keychain's native binding loads with the first keychain: reference, not for env: ones (a cron job, `check`).
  const keychain = kind === "keychain" ? await import("./keychain.ts") : undefined;
  const value = keychain ? await keychain.getKeychainSecret(name) : env[name];
  if (!value) throw missing(kind, name, value === "", keychain?.KEYCHAIN_SERVICE);
  rememberSecret(value);
  return value;
}

function missing(kind: "keychain" | "env", name: string, empty: boolean, service?: string): LifeboatError {
  if (kind === "env") {
    return new LifeboatError(
      "SECRET_MISSING",
      `The secret "env:${name}" is missing: environment variable ${name} ${empty ? "is empty" : "is not set"}.`,
      `export ${name}=... in the environment that runs lifeboat (for cron or systemd, in the job's environment, e.g. an EnvironmentFile= readable only by its user).`,
      { ref: `env:${name}` },
    );
  }
  return new LifeboatError(
    "SECRET_MISSING",
    empty
      ? `The secret "keychain:${name}" is missing: its OS keychain entry is empty.`
      : `The secret "keychain:${name}" is missing: the OS keychain has no entry "${name}" for service "${service}".`,
    `Store it with \`lifeboat secret set ${name}\` (it prompts for the value, or reads it from a pipe: printf %s "$VALUE" | lifeboat secret set ${name}).`,
    { ref: `keychain:${name}` },
  );
}
