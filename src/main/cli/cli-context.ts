import type { ConfigFile, Profile } from "../../shared/config.ts";
import { resolveConfigPath } from "../config/config-path.ts";
import { getProfile, loadConfig } from "../config/config-store.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { openJournal, type OpenJournal } from "../journal/journal.ts";
import { resolveSecret } from "../secrets/resolve.ts";
import type { CliIo } from "./cli-io.ts";
import { progressPrinter } from "./progress-bar.ts";

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
  progress?: boolean;
}

/** What every command gets: IO, output mode, the config, and an engine context backed by the journal. */
export class CliContext {
  private journalPromise: Promise<OpenJournal> | undefined;
  /** Set by a command that printed its report but must still exit non-zero (e.g. a failed check). */
  exitCode = 0;

  constructor(
    readonly io: CliIo,
    private readonly globals: () => GlobalOptions,
  ) {}

  get json(): boolean {
    return !!this.globals().json;
  }

  get configPath(): string {
    const flag = this.globals().config;
    return resolveConfigPath({ ...(flag ? { flag } : {}), env: this.io.env });
  }

  loadConfig(): Promise<ConfigFile> {
    return loadConfig(this.configPath);
  }

  async profile(name?: string): Promise<Profile> {
    return getProfile(await this.loadConfig(), name);
  }

  journal(): Promise<OpenJournal> {
    this.journalPromise ??= openJournal(
      this.io.env.LIFEBOAT_JOURNAL_DIR ? { dir: this.io.env.LIFEBOAT_JOURNAL_DIR } : {},
    );
    return this.journalPromise;
  }

  /** An engine context whose progress is drawn on a TTY (not with --json, unless --progress). */
  async engine(): Promise<EngineContext & { done: () => void }> {
    const g = this.globals();
    const bar = progressPrinter(this.io, g.progress ?? !g.json);
    return {
      resolveSecret: (ref) => resolveSecret(ref, this.io.env),
      journal: await this.journal(),
      onProgress: bar.onProgress,
      env: this.io.env,
      done: bar.done,
    };
  }

  /** Journals an operator action that is not an engine operation (profile edits, keychain changes, key generation). */
  async record(kind: string, summary: string, details: Record<string, unknown> = {}, profile?: string): Promise<void> {
    await (await this.journal()).append({ kind, summary, details, outcome: "ok", ...(profile ? { profile } : {}) });
  }

  async close(): Promise<void> {
    if (this.journalPromise) await (await this.journalPromise).close();
  }
}
