import type { ConfigFile, Profile } from "../../shared/config.ts";
import type { ChannelName } from "../../shared/api/channels.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { OpenJournal } from "../journal/journal.ts";
import type { BackupStore } from "../storage/backup-store.ts";

/** What a face (browser host, Electron shell, tests) hands the router: the same things the CLI context holds. */
export interface ApiDeps {
  configPath: string;
  journal: OpenJournal;
  /** Where secret env: references are read; also handed to child processes. */
  env: NodeJS.ProcessEnv;
  shell: "electron" | "browser";
  sandbox?: boolean;
  /** Where journal.export writes files (default: next to the journal, in "exports"). */
  exportsDir?: string;
  tmpDir?: string;
  now?: () => Date;
  /** Secret resolution; defaults to keychain:/env: through deps.env. */
  resolveSecret?: (ref: string) => Promise<string>;
}

/** What one handler call gets: the deps, config access and an engine context wired to this call's progress and cancel. */
export interface HandlerContext {
  deps: ApiDeps;
  channel: ChannelName;
  operationId: string;
  journal: OpenJournal;
  now(): Date;
  config(): Promise<ConfigFile>;
  profile(name: string): Promise<Profile>;
  engine(): EngineContext;
  /** The profile's store; manifests (write-once) are cached across calls. */
  store(profile: Profile): Promise<BackupStore>;
}
