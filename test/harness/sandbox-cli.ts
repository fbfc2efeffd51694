// The real CLI against a sandbox project: a config folder with one profile whose `neon` section points at the
// sandbox (the key in the environment), and a journal of its own.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import type { Sandbox } from "../../src/main/sandbox/index.ts";
import { runCli, type CliRun } from "./cli.ts";
import { queryUri, useSandbox } from "./neon-sandbox.ts";
import { after, before } from "node:test";

export interface SandboxCli {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The journal folder the CLI writes to. */
  journalDir: string;
  cli(...args: string[]): Promise<CliRun>;
  remove(): Promise<void>;
}

/** A profile "clinic" on the sandbox; `neon` adds to its neon section (e.g. drill settings). */
export async function sandboxCli(s: Sandbox, prefix: string, neon: Record<string, unknown> = {}): Promise<SandboxCli> {
  const dir = await mkdtemp(join(tmpdir(), `lifeboat-${prefix}-`));
  const profile = {
    name: "clinic",
    database: { host: "127.0.0.1", database: "neondb", user: "neondb_owner" },
    storage: { kind: "folder", path: join(dir, "store") },
    encryption: { recipients: [generateIdentity().recipient] },
    neon: { projectId: s.projectId, apiKey: "env:SANDBOX_KEY", apiHost: s.apiUrl, ...neon },
  };
  await writeFile(join(dir, "config.json"), JSON.stringify({ version: 1, profiles: [profile] }), { mode: 0o600 });
  const journalDir = join(dir, "journal");
  const env = { ...process.env, SANDBOX_KEY: s.apiKey, LIFEBOAT_JOURNAL_DIR: journalDir };
  return {
    dir,
    env,
    journalDir,
    cli: (...args) => runCli(["--config", join(dir, "config.json"), ...args], { env }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * Numbered marks committed on the sandbox's main branch, with their commit times, to see which instant a branch or a
 * restore really holds: `mark(n)` inserts one, `on(uri)` lists the marks a database holds.
 */
export interface Marks {
  at: Map<number, number>;
  mark(n: number): Promise<void>;
  on(uri: string): Promise<number[]>;
}

export async function markTable(s: Sandbox, table: string): Promise<Marks> {
  await queryUri(
    s.connectionUri()!,
    `CREATE TABLE ${table} (n int PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())`,
  );
  const at = new Map<number, number>();
  return {
    at,
    mark: async (n) => {
      const [r] = await queryUri(s.connectionUri()!, `INSERT INTO ${table} (n) VALUES ($1) RETURNING at`, [n]);
      at.set(n, (r.at as Date).getTime());
    },
    on: async (uri) => (await queryUri(uri, `SELECT n FROM ${table} ORDER BY n`)).map((r) => r.n as number),
  };
}

/**
 * One sandbox (the Scale plan, so many restores stay within its root-branch allowance) for the enclosing suite, the
 * CLI on it, and a table of marks on main; started in before() and removed in after().
 */
export function useSandboxCli(prefix: string, table: string): () => { s: Sandbox; c: SandboxCli; m: Marks } {
  const sandbox = useSandbox({ plan: "scale" });
  let ready: { s: Sandbox; c: SandboxCli; m: Marks } | undefined;
  before(async () => {
    const s = sandbox();
    ready = { s, c: await sandboxCli(s, prefix), m: await markTable(s, table) };
  });
  after(async () => ready?.c.remove());
  return () => {
    if (!ready) throw new Error("useSandboxCli: not started yet (use it inside a test)");
    return ready;
  };
}
