import { z } from "zod";

// A config never holds a secret, only where to find one. Anything else in a secret field is refused,
// with the explanation an operator needs to fix it.
export const SECRET_REF_HELP =
  'Secret fields hold a reference, never the value: "keychain:NAME" (the OS keychain; store it with `lifeboat secret set NAME`) ' +
  'or "env:VAR" (an environment variable, for cron or Kubernetes).';

/** Names a keychain entry may have: also safe to show in messages and to pass as a keychain account. */
export const KEYCHAIN_NAME = /^[A-Za-z0-9_.@/-]{1,128}$/;
/** Portable environment variable names. */
export const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** True when the string is meant as a reference (even a malformed one), so it is not a literal secret. */
export function looksLikeSecretRef(value: string): boolean {
  return /^(keychain|env):/.test(value);
}

export const SecretRef = z.string().superRefine((value, ctx) => {
  const m = /^(keychain|env):(.+)$/.exec(value);
  if (!m) {
    ctx.addIssue({ code: "custom", message: `holds a literal value, not a secret reference. ${SECRET_REF_HELP}` });
    return;
  }
  if (m[1] === "env" && !ENV_VAR_NAME.test(m[2]!)) {
    ctx.addIssue({ code: "custom", message: `"${value}" names an invalid environment variable` });
  }
  if (m[1] === "keychain" && !KEYCHAIN_NAME.test(m[2]!)) {
    ctx.addIssue({ code: "custom", message: `keychain entry names use letters, digits and _ . @ / - only` });
  }
});
export type SecretRef = z.infer<typeof SecretRef>;

export function parseSecretRef(ref: string): { kind: "keychain" | "env"; name: string } {
  const i = ref.indexOf(":");
  return { kind: ref.slice(0, i) as "keychain" | "env", name: ref.slice(i + 1) };
}
