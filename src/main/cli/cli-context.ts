import { redactText } from "../secrets/redact.ts";
import type { Session, SessionOptions } from "../session/open-session.ts";
import { sessionPlaces } from "../session/session-places.ts";
import type { CliIo } from "./cli-io.ts";

export interface GlobalOptions {
  config?: string;
  json?: boolean;
  progress?: boolean;
  sandbox?: boolean;
}

/** Where a command's session differs from the default one: a journal folder to read (--dir), where exports go. */
export type SessionOverrides = Pick<SessionOptions, "journalDir" | "readOnly" | "exportsDir">;

/** What every command gets: IO, output mode, and the session (config, journal, router) it invokes channels on. */
export class CliContext {
  private readonly sessions: Promise<Session>[] = [];
  private main: Promise<Session> | undefined;
  /** Set by a command that printed its report but must still exit non-zero (e.g. a failed check). */
  exitCode = 0;

  constructor(
    readonly io: CliIo,
    private readonly globals: () => GlobalOptions,
  ) {}

  get json(): boolean {
    return !!this.globals().json;
  }

  /** Progress is drawn on a terminal, unless --json (or --no-progress) says otherwise. */
  get progress(): boolean {
    return this.globals().progress ?? !this.json;
  }

  /** The flags that decide where the config, journal and exports live: --config, --sandbox. */
  sessionOptions(): Omit<SessionOptions, "face"> {
    const g = this.globals();
    return {
      env: this.io.env,
      ...(g.config ? { configPath: g.config } : {}),
      ...(g.sandbox ? { sandbox: true } : {}),
    };
  }

  /** The session this run works in, opened on first use; `overrides` opens another one (e.g. on a copied journal). */
  session(overrides?: SessionOverrides): Promise<Session> {
    if (!overrides && this.main) return this.main;
    // Loaded on first use, so `lifeboat --version` and help never load the router and its contract.
    const s = import("../session/open-session.ts").then(({ openSession }) =>
      openSession({
        ...this.sessionOptions(),
        ...overrides,
        face: "cli",
        onUnexpectedError: (e) => {
          if (this.io.env.LIFEBOAT_DEBUG && e instanceof Error && e.stack)
            this.io.stderr.write(`${redactText(e.stack)}\n`);
        },
      }),
    );
    this.sessions.push(s);
    if (!overrides) this.main = s;
    return s;
  }

  /** Where this run's config lives (for launching the desktop app on the same one). */
  get configPath(): string {
    return sessionPlaces({ ...this.sessionOptions(), env: this.io.env }).configPath;
  }

  async close(): Promise<void> {
    for (const s of this.sessions) await s.then((x) => x.close()).catch(() => undefined);
  }
}
