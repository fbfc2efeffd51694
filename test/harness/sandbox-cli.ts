// The real CLI against a sandbox project: a config folder with one profile whose `neon` section points at the
// sandbox (the key in the environment), and a journal of its own.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIdentity } from "../../src/main/crypto/age-keys.ts";
import type { Sandbox } from "../../src/main/sandbox/index.ts";
import { runCli, type CliRun } from "./cli.ts";

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
