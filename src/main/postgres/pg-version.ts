/** Parses the first line of `pg_dump --version`, `postgres --version` and friends. */
export function parseVersionOutput(output: string): { version: string; major: number } | null {
  // "pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)", "postgres (PostgreSQL) 18.4", "pg_dump (PostgreSQL) 18beta1"
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?([a-z]+\d*)?/i.exec(output);
  if (!m) return null;
  const major = Number(m[1]);
  const version = [m[1], m[2], m[3]].filter((p) => p !== undefined).join(".") + (m[4] ?? "");
  return { version, major };
}

/** Numeric parts of a version string, for ordering minors: "15.14" -> [15, 14], "18beta1" -> [18, -1]. */
export function versionKey(version: string): number[] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  if (!m) return [0];
  const parts = [m[1], m[2], m[3]].filter((p) => p !== undefined).map(Number);
  // A pre-release sorts below the release it precedes.
  if (/[a-z]/i.test(version.slice(m[0].length))) parts.push(-1);
  return parts;
}

export function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  for (let i = 0; i < Math.max(ka.length, kb.length); i++) {
    const d = (ka[i] ?? 0) - (kb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
