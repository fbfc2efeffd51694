// One session opener for every face. The CLI, the browser host and the Electron shell each call openSession and then
// only invoke channels: where the config, the journal and the exports live is decided here (session-places.ts), the
// journal is opened here (lazily: a command that only reads never takes the writer) and closed here.
import type { Face } from "../../shared/api/channels/app-channels.ts";
import type { ChannelName } from "../../shared/api/channels.ts";
import type { ApiDeps } from "../api/api-deps.ts";
import type { Handlers } from "../api/handler-types.ts";
import { createApiRouter, type ApiRouter } from "../api/router.ts";
import { openJournal, type OpenJournal, type OpenJournalOptions } from "../journal/journal.ts";
import { readPracticeEnv } from "./practice-env.ts";
import { sessionPlaces, type PlacesOptions, type SessionPlaces } from "./session-places.ts";

export interface SessionOptions extends Omit<PlacesOptions, "env"> {
  face: Face;
  /** Where env: secret references resolve; also what child processes get. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Read a journal (e.g. a copied one) without ever writing to it. */
  readOnly?: boolean;
  tmpDir?: string;
  now?: () => Date;
  resolveSecret?: (ref: string) => Promise<string>;
  /** How the journal is opened: its clock and actor (demos, tests), how long to wait for its lock. */
  journalOptions?: Omit<OpenJournalOptions, "dir">;
  /** Told of every failure that is a bug (not a LifeboatError), with its stack. */
  onUnexpectedError?: (e: unknown, channel: ChannelName) => void;
  /** Replaces some channels' handlers (tests). */
  handlers?: Partial<Handlers>;
}

export interface Session extends SessionPlaces {
  face: Face;
  env: NodeJS.ProcessEnv;
  sandbox: boolean;
  router: ApiRouter;
  invoke: ApiRouter["invoke"];
  /** The journal, opened for writing now if it is not yet. */
  journal(): Promise<OpenJournal>;
  close(): Promise<void>;
}

export async function openSession(opts: SessionOptions): Promise<Session> {
  const given = opts.env ?? process.env;
  const places = sessionPlaces({ ...opts, env: given });
  // A practice session resolves the practice profile's env: references the way the console running it does.
  const env = places.practiceHome ? { ...(await readPracticeEnv(places.practiceHome)), ...given } : given;
  let opened: Promise<OpenJournal> | undefined;
  const journal = (): Promise<OpenJournal> =>
    (opened ??= openJournal({ ...opts.journalOptions, dir: places.journalDir }));
  const deps: ApiDeps = {
    configPath: places.configPath,
    journal,
    journalDir: places.journalDir,
    exportsDir: places.exportsDir,
    env,
    shell: opts.face,
    sandbox: !!opts.sandbox,
    ...(opts.readOnly ? { readOnly: true } : {}),
    ...(opts.tmpDir ? { tmpDir: opts.tmpDir } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.resolveSecret ? { resolveSecret: opts.resolveSecret } : {}),
    ...(opts.onUnexpectedError ? { onUnexpectedError: opts.onUnexpectedError } : {}),
  };
  const router = createApiRouter(deps, opts.handlers);
  return {
    ...places,
    face: opts.face,
    env,
    sandbox: !!opts.sandbox,
    router,
    invoke: router.invoke,
    journal,
    close: async () => {
      if (opened)
        await opened.then(
          (j) => j.close(),
          () => undefined,
        );
    },
  };
}
