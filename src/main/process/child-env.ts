// The environment a child process gets: only what any program needs to run (where programs and libraries are, the
// user's home and locale, the temp folder), plus what the caller names. Never the rest of Lifeboat's own environment,
// which may hold the age identity, S3 keys or a Neon API key for `env:` references.

const EXACT = new Set([
  "PATH",
  "Path",
  "HOME",
  "USER",
  "LOGNAME",
  "USERNAME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "TEMP",
  "TMP",
  // Dynamic libraries of tools installed outside the system folders (a PostgreSQL in /opt, Homebrew).
  "LD_LIBRARY_PATH",
  "DYLD_LIBRARY_PATH",
  "DYLD_FALLBACK_LIBRARY_PATH",
  // Windows: programs fail to start without these; libpq looks for its files under APPDATA.
  "SYSTEMROOT",
  "SystemRoot",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "USERPROFILE",
  "APPDATA",
  "LOCALAPPDATA",
]);

const isBase = (key: string): boolean => EXACT.has(key) || key.startsWith("LC_");

/**
 * `base` reduced to what every program needs, plus the variables in `keep` (names, or prefixes ending in "*", such as
 * "PG*" for libpq's own variables, which the caller has already set to exactly what the child needs).
 */
export function leastEnv(base: NodeJS.ProcessEnv, keep: readonly string[] = []): NodeJS.ProcessEnv {
  const prefixes = keep.filter((k) => k.endsWith("*")).map((k) => k.slice(0, -1));
  const names = new Set(keep.filter((k) => !k.endsWith("*")));
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (v === undefined) continue;
    if (isBase(k) || names.has(k) || prefixes.some((p) => k.startsWith(p))) out[k] = v;
  }
  return out;
}
