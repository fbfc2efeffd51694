import { execFile } from "node:child_process";
import { access, realpath, constants } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { leastEnv } from "../process/child-env.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { compareVersions, parseVersionOutput } from "./pg-version.ts";
import { expandPattern, wellKnownPatterns, type SearchDir } from "./tool-search-dirs.ts";

const run = promisify(execFile);

export interface PgToolset {
  major: number;
  version: string;
  dir: string;
  pgDump: string;
  pgRestore: string;
  /** Empty when the directory has no psql (it is optional: Lifeboat itself talks to the server through node-postgres). */
  psql: string;
  source: string;
}

export interface DiscoverOptions {
  configuredDir?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Replaces the built-in list of well-known install locations (tests point it at a fake tree). */
  wellKnown?: SearchDir[];
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    await access(file, platform === "win32" ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function probe(candidate: SearchDir, platform: NodeJS.Platform): Promise<(PgToolset & { real: string }) | null> {
  const p = platform === "win32" ? path.win32 : path.posix;
  const exe = platform === "win32" ? ".exe" : "";
  const pgDump = p.join(candidate.dir, `pg_dump${exe}`);
  const pgRestore = p.join(candidate.dir, `pg_restore${exe}`);
  const psql = p.join(candidate.dir, `psql${exe}`);
  if (!(await isExecutable(pgDump, platform)) || !(await isExecutable(pgRestore, platform))) return null;
  let real: string;
  try {
    real = await realpath(pgDump);
  } catch {
    return null;
  }
  // Debian's /usr/bin/pg_dump is postgresql-common's wrapper that picks a version by itself; the real
  // /usr/lib/postgresql/<n>/bin directories are listed on their own, with an honest version each.
  if (p.basename(real) === "pg_wrapper") return null;
  let out: string;
  try {
    out = (await run(pgDump, ["--version"], { timeout: 10_000, windowsHide: true, env: leastEnv(process.env) })).stdout;
  } catch {
    return null;
  }
  const v = parseVersionOutput(out);
  if (!v) return null;
  return {
    ...v,
    dir: candidate.dir,
    pgDump,
    pgRestore,
    psql: (await isExecutable(psql, platform)) ? psql : "",
    source: candidate.source,
    real,
  };
}

/** Every usable pg_dump/pg_restore pair on this machine, newest first, each directory once. */
export async function discoverTools(opts: DiscoverOptions = {}): Promise<PgToolset[]> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const candidates: SearchDir[] = [];
  if (opts.configuredDir) candidates.push({ dir: opts.configuredDir, source: "profile tools.pgBinDir" });
  const pathVar = env.PATH ?? env.Path ?? "";
  for (const dir of pathVar.split(platform === "win32" ? ";" : ":")) if (dir) candidates.push({ dir, source: "PATH" });
  for (const pattern of opts.wellKnown ?? wellKnownPatterns(platform, env)) {
    for (const dir of await expandPattern(pattern.dir, platform)) candidates.push({ dir, source: pattern.source });
  }

  const probed = await Promise.all(candidates.map((c) => probe(c, platform)));
  const byReal = new Map<string, PgToolset>();
  for (const t of probed) {
    if (!t || byReal.has(t.real)) continue;
    const { real, ...toolset } = t;
    byReal.set(real, toolset);
  }
  return [...byReal.values()].sort((a, b) => b.major - a.major || compareVersions(b.version, a.version));
}

function installHint(major: number, platform: NodeJS.Platform): string {
  const how =
    platform === "darwin"
      ? `brew install postgresql@${major} (or libpq), or Postgres.app`
      : platform === "win32"
        ? `the EDB PostgreSQL ${major} installer (Command Line Tools are enough)`
        : `apt install postgresql-client-${major} (from apt.postgresql.org), or dnf install postgresql${major}`;
  return `Install the PostgreSQL ${major} client tools: ${how}. Then set tools.pgBinDir in the profile to its bin directory if Lifeboat does not find it on its own.`;
}

/**
 * pg_dump refuses servers newer than itself, and a newer pg_dump reads older servers fine; so the lowest major that
 * is at least the server's, and within it the newest minor.
 */
export function chooseTools(
  found: PgToolset[],
  serverMajor: number,
  serverVersion: string,
  platform: NodeJS.Platform = process.platform,
): PgToolset {
  const fit = found
    .filter((t) => t.major >= serverMajor)
    .sort((a, b) => a.major - b.major || compareVersions(b.version, a.version));
  const best = fit[0];
  if (best) return best;
  const list = found.map((t) => `${t.major} (${t.version}) in ${t.dir}`).join("; ");
  if (found.length === 0) {
    throw new LifeboatError(
      "TOOLS_MISSING",
      `no pg_dump/pg_restore found for the PostgreSQL ${serverVersion} server`,
      installHint(serverMajor, platform),
      { serverVersion, serverMajor, found: [] },
    );
  }
  throw new LifeboatError(
    "TOOLS_TOO_OLD",
    `the server runs PostgreSQL ${serverVersion} but the newest pg_dump found is older: ${list}. pg_dump must be version ${serverMajor} or newer.`,
    installHint(serverMajor, platform),
    { serverVersion, serverMajor, found: found.map((t) => ({ major: t.major, version: t.version, dir: t.dir })) },
  );
}
