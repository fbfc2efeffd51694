// Every secret value Lifeboat resolves is remembered here for the life of the process, so that anything headed for a
// log, the journal, an export or the renderer can be scrubbed of it. Connection-string passwords are scrubbed by shape
// even when they were never resolved through Lifeboat.

const MASK = "[REDACTED]";
const known = new Set<string>();
/** `known`, longest first, so a secret that contains another is removed whole; sorted again only after a change. */
let longestFirst: string[] | undefined;

/** Remembers a secret value so redactText can remove it. Very short values are ignored: they would mangle text. */
export function rememberSecret(value: string | undefined | null): void {
  if (!value || value.length < 4) return;
  longestFirst = undefined;
  known.add(value);
  // The same value also travels escaped: inside JSON (quotes, backslashes, newlines) and inside URLs.
  known.add(JSON.stringify(value).slice(1, -1));
  known.add(encodeURIComponent(value));
}

export function forgetAllSecrets(): void {
  known.clear();
  longestFirst = undefined;
}

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi;
const KV_PASSWORD =
  /\b(password|passwd|pwd|PGPASSWORD|secret|secretAccessKey|aws_secret_access_key)(\s*[=:]\s*["']?)([^\s"',;&]+)/gi;
const AGE_IDENTITY = /AGE-SECRET-KEY-1[0-9A-Z]{58}/g;

export function redactText(text: string): string {
  let out = text;
  longestFirst ??= [...known].sort((a, b) => b.length - a.length);
  for (const s of longestFirst) if (out.includes(s)) out = out.split(s).join(MASK);
  return out.replace(URL_PASSWORD, `$1${MASK}$3`).replace(KV_PASSWORD, `$1$2${MASK}`).replace(AGE_IDENTITY, MASK);
}

/** Deep copy of a JSON-like value with every string redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}
