import { looksLikeSecretRef } from "../../shared/secret-ref.ts";

export type PathSegment = string | number;

/** `profiles[0].database.password`, the way an operator finds the spot in the file. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || "(top level)";
}

// Checked under any key, known to the schema or not, so a mistyped field ("passwd", "secretKey") cannot smuggle a
// secret into a file that gets copied, synced and pasted into tickets.
const SECRET_KEY = /pass|pwd|secret|token|credential|private|key/i;
// Keys that match the pattern above but hold identifiers, not secrets.
const NOT_SECRET_KEYS = new Set(["sseKmsKeyId"]);
// Secrets recognisable by shape, wherever they appear.
const AGE_IDENTITY = /AGE-SECRET-KEY-1/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;

export interface LiteralSecret {
  path: PathSegment[];
  why: string;
}

/** Every place in a JSON-like value that holds a secret value instead of a keychain:/env: reference. */
export function findLiteralSecrets(value: unknown, path: PathSegment[] = []): LiteralSecret[] {
  if (typeof value === "string") {
    if (AGE_IDENTITY.test(value)) return [{ path, why: "an age private key" }];
    if (URL_WITH_PASSWORD.test(value)) return [{ path, why: "a URL with a password in it" }];
    const key = path.findLast((seg): seg is string => typeof seg === "string");
    if (
      key !== undefined &&
      SECRET_KEY.test(key) &&
      !NOT_SECRET_KEYS.has(key) &&
      value !== "" &&
      !looksLikeSecretRef(value)
    ) {
      return [{ path, why: "a literal value in a secret field" }];
    }
    return [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => findLiteralSecrets(v, [...path, i]));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => findLiteralSecrets(v, [...path, k]));
  }
  return [];
}
