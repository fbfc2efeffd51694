// The real clients a Neon user runs against the sandbox: neonctl (npm, a devDependency) and psql (the PostgreSQL client
// Lifeboat finds). Both are spawned asynchronously: this process serves the sandbox they talk to.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discoverTools } from "../../src/main/postgres/tools.ts";
import type { Sandbox } from "../../src/main/sandbox/index.ts";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The real neonctl against the sandbox's API, with the key in its environment and a throwaway config folder. */
export async function neonctl(s: Sandbox, args: string[], json = true): Promise<Ran> {
  const home = await mkdtemp(join(tmpdir(), "lifeboat-neonctl-"));
  try {
    return await run(
      join(process.cwd(), "node_modules/.bin/neonctl"),
      [...args, "--api-host", s.apiUrl, ...(json ? ["--output", "json"] : []), "--no-analytics", "--config-dir", home],
      { ...process.env, NEON_API_KEY: s.apiKey, HOME: home },
    );
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

let psqlPath: Promise<string> | undefined;

/**
 * psql with a connection string exactly as printed, plus any libpq environment (PGHOSTADDR/PGPORT stand in for the
 * DNS and default port that neonctl's ep-….localhost strings assume). Nothing else is inherited from PG* variables.
 */
export async function psql(uri: string, sql: string, env: Record<string, string> = {}): Promise<Ran> {
  psqlPath ??= discoverTools().then((t) => {
    const found = t.find((x) => x.psql);
    if (!found) throw new Error("no psql found");
    return found.psql;
  });
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PG")));
  return run(await psqlPath, [uri, "-X", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], { ...base, ...env });
}
