import { z } from "zod";

// A config never holds a secret, only where to find one. Anything else in a secret field is refused,
// with the explanation an operator needs to fix it.
export const SECRET_REF_HELP =
  'Secret fields hold a reference, never the value: "keychain:NAME" (the OS keychain; store it with `lifeboat secret set NAME`) ' +
  'or "env:VAR" (an environment variable, for cron or Kubernetes).';

export const SecretRef = z.string().superRefine((value, ctx) => {
  const m = /^(keychain|env):(.+)$/.exec(value);
  if (!m) {
    ctx.addIssue({ code: "custom", message: `holds a literal value, not a secret reference. ${SECRET_REF_HELP}` });
    return;
  }
  if (m[1] === "env" && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(m[2]!)) {
    ctx.addIssue({ code: "custom", message: `"${value}" names an invalid environment variable` });
  }
  if (m[1] === "keychain" && !/^[A-Za-z0-9_.@/-]{1,128}$/.test(m[2]!)) {
    ctx.addIssue({ code: "custom", message: `keychain entry names use letters, digits and _ . @ / - only` });
  }
});
export type SecretRef = z.infer<typeof SecretRef>;

export function parseSecretRef(ref: string): { kind: "keychain" | "env"; name: string } {
  const i = ref.indexOf(":");
  return { kind: ref.slice(0, i) as "keychain" | "env", name: ref.slice(i + 1) };
}
