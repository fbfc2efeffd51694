import type { Face } from "../../shared/api/channels/app-channels.ts";
import type { Writable } from "node:stream";
import type { ConfigFile, Profile } from "../../shared/config.ts";
import type { ChannelName } from "../../shared/api/channels.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import type { JournalReader, OpenJournal } from "../journal/journal.ts";
import type { BackupStore } from "../storage/backup-store.ts";

/** What a session (src/main/session) hands the router: where things live and how to reach the journal. */
export interface ApiDeps {
  configPath: string;
  /** The journal, or how to open it on first write: a CLI run that only reads never takes the writer. */
  journal: OpenJournal | (() => Promise<OpenJournal>);
  /** The journal's folder, read before the writer is open. Default: the open journal's own dir. */
  journalDir?: string;
  /** A journal opened only to be read (e.g. a copied journal): nothing is ever appended to it. */
  readOnly?: boolean;
  /** Where secret env: references are read; also handed to child processes. */
  env: NodeJS.ProcessEnv;
  shell: Face;
  sandbox?: boolean;
  /** Where journal exports are written (default: next to the journal, in "exports"). */
  exportsDir?: string;
  tmpDir?: string;
  now?: () => Date;
  /** Secret resolution; defaults to keychain:/env: through deps.env. */
  resolveSecret?: (ref: string) => Promise<string>;
  /** Told of every failure that is not a LifeboatError (a bug), stack and all; the answer itself never carries it. */
  onUnexpectedError?: (e: unknown, channel: ChannelName) => void;
}

/** What one handler call gets: the deps, config access and an engine context wired to this call's progress and cancel. */
export interface HandlerContext {
  deps: ApiDeps;
  channel: ChannelName;
  operationId: string;
  /** Where the caller lets a channel stream bytes (the terminal's stdout); absent for a window. */
  output?: Writable;
  /** Where a secret the operator asked to see goes (a terminal only); absent for a window. */
  reveal?: (name: string, value: string) => void;
  now(): Date;
  /** The session's journal, opened for writing on first use. Refused in a read-only session. */
  journal(): Promise<OpenJournal>;
  /** The journal to record in, or none when the session is read-only. */
  writableJournal(): Promise<OpenJournal | undefined>;
  /** Reads: through the open journal (so in-flight appends are seen), or straight from its folder before that. */
  reader(): JournalReader;
  /** Where exports are written: the session's exports folder. */
  exportsDir(): string;
  config(): Promise<ConfigFile>;
  /** A profile by name; without a name, the only one configured (else a clear error). */
  profile(name?: string): Promise<Profile>;
  engine(): EngineContext;
  /** The profile's store; manifests (write-once) are cached across calls. */
  store(profile: Profile): Promise<BackupStore>;
}
