import { readdir } from "node:fs/promises";
import path from "node:path";

export interface SearchDir {
  dir: string;
  source: string;
}

/** Where pg_dump usually lives, as patterns with at most one `*` segment. The order only picks the reported source. */
export function wellKnownPatterns(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): SearchDir[] {
  if (platform === "win32") {
    const roots = [env.ProgramFiles ?? "C:\\Program Files", env["ProgramFiles(x86)"] ?? "C:\\Program Files (x86)"];
    return roots.map((r) => ({ dir: `${r}\\PostgreSQL\\*\\bin`, source: "EDB installer" }));
  }
  return [
    { dir: "/usr/lib/postgresql/*/bin", source: "Debian/Ubuntu package" },
    { dir: "/usr/pgsql-*/bin", source: "PGDG RPM" },
    { dir: "/usr/local/pgsql/bin", source: "source build" },
    { dir: "/opt/homebrew/opt/postgresql@*/bin", source: "Homebrew" },
    { dir: "/opt/homebrew/opt/libpq/bin", source: "Homebrew libpq" },
    { dir: "/usr/local/opt/postgresql@*/bin", source: "Homebrew" },
    { dir: "/usr/local/opt/libpq/bin", source: "Homebrew libpq" },
    { dir: "/opt/homebrew/bin", source: "Homebrew" },
    { dir: "/Applications/Postgres.app/Contents/Versions/*/bin", source: "Postgres.app" },
  ];
}

/** Expands the single `*` segment of a pattern ("/usr/lib/postgresql/*\/bin") against the real directory listing. */
export async function expandPattern(pattern: string, platform: NodeJS.Platform): Promise<string[]> {
  const p = platform === "win32" ? path.win32 : path.posix;
  const parts = pattern.split(/[\\/]/);
  const star = parts.findIndex((s) => s.includes("*"));
  if (star < 0) return [pattern];
  const parentParts = parts.slice(0, star);
  const parent = parentParts.join(p.sep) || p.sep;
  const [prefix = "", suffix = ""] = (parts[star] ?? "").split("*");
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(prefix) && n.endsWith(suffix) && n.length >= prefix.length + suffix.length)
    .sort()
    .map((n) => [...parentParts, n, ...parts.slice(star + 1)].join(p.sep));
}
