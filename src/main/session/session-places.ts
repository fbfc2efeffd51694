// Where a session's config, journal and exports live: decided here once, for every face. The CLI, the browser host
// and the Electron shell all ask this function, so a console on the sandbox and a CLI pointed at the same sandbox
// read the same config and write to one journal.
import { dirname, join, resolve } from "node:path";
import { resolveConfigPath } from "../config/config-path.ts";
import { resolveJournalDir } from "../journal/journal-paths.ts";
import { defaultSandboxDir } from "../sandbox/sandbox-layout.ts";

export interface PlacesOptions {
  /** --config; otherwise LIFEBOAT_CONFIG, then the per-user config file. */
  configPath?: string;
  /** Otherwise LIFEBOAT_JOURNAL_DIR, then the per-user data folder's journal. */
  journalDir?: string;
  /** Otherwise "exports" next to the journal folder. */
  exportsDir?: string;
  env: NodeJS.ProcessEnv;
  /** The practice world of `lifeboat console --sandbox`: its own config, journal and exports beside the sandbox. */
  sandbox?: boolean;
  /** The Neon sandbox's folder (default: the OS data folder's lifeboat/sandbox, or LIFEBOAT_SANDBOX_DIR). */
  sandboxDir?: string;
}

export interface SessionPlaces {
  configPath: string;
  journalDir: string;
  exportsDir: string;
  /** Set for a practice session: the folder holding the practice world's config, journal, exports and key. */
  practiceHome?: string;
  sandboxDir?: string;
}

/** The practice world lives beside the sandbox it runs on, never among the operator's real profiles and journal. */
export function practiceHome(sandboxDir: string): string {
  return `${resolve(sandboxDir)}-console`;
}

export function sandboxDirOf(opts: Pick<PlacesOptions, "sandboxDir" | "env">): string {
  return resolve(opts.sandboxDir ?? opts.env.LIFEBOAT_SANDBOX_DIR ?? defaultSandboxDir(opts.env));
}

export function sessionPlaces(opts: PlacesOptions): SessionPlaces {
  if (opts.sandbox) {
    const sandboxDir = sandboxDirOf(opts);
    const home = practiceHome(sandboxDir);
    return {
      configPath: opts.configPath ? resolve(opts.configPath) : join(home, "config.json"),
      journalDir: opts.journalDir ? resolve(opts.journalDir) : join(home, "journal"),
      exportsDir: opts.exportsDir ? resolve(opts.exportsDir) : join(home, "exports"),
      practiceHome: home,
      sandboxDir,
    };
  }
  const journalDir = resolveJournalDir(opts.journalDir, opts.env);
  return {
    configPath: resolveConfigPath({ ...(opts.configPath ? { flag: opts.configPath } : {}), env: opts.env }),
    journalDir,
    exportsDir: opts.exportsDir ? resolve(opts.exportsDir) : join(dirname(journalDir), "exports"),
  };
}
