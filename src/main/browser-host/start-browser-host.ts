// `lifeboat console` without Electron, and what end-to-end tests start: the API router over the user's config and
// journal, served with the renderer on loopback.
import { join } from "node:path";
import type { ApiDeps } from "../api/api-deps.ts";
import { createApiRouter, type ApiRouter } from "../api/router.ts";
import { resolveConfigPath } from "../config/config-path.ts";
import { openJournal } from "../journal/journal.ts";
import { startConsoleServer } from "./console-server.ts";
import { DEFAULT_RENDERER_DIR, ensureRendererBuild } from "./renderer-build.ts";

export interface BrowserHostOptions {
  /** Default: LIFEBOAT_CONFIG or the per-user config file. */
  configPath?: string;
  /** Default: LIFEBOAT_JOURNAL_DIR or the per-user data folder. */
  journalDir?: string;
  /** Where env: secret references resolve. Default process.env. */
  env?: NodeJS.ProcessEnv;
  rendererDir?: string;
  /** Build the renderer when it is missing (default true). */
  build?: boolean;
  port?: number;
  token?: string;
  sandbox?: boolean;
  exportsDir?: string;
  log?: (line: string) => void;
  /** Replaces the router built from the options above (tests). */
  router?: ApiRouter;
}

export interface BrowserHost {
  /** Open this: it carries the session token in its fragment. */
  url: string;
  token: string;
  port: number;
  origin: string;
  router: ApiRouter;
  progressListeners(): number;
  close(): Promise<void>;
}

export async function startBrowserHost(opts: BrowserHostOptions = {}): Promise<BrowserHost> {
  const env = opts.env ?? process.env;
  const rendererDir =
    opts.build === false
      ? (opts.rendererDir ?? DEFAULT_RENDERER_DIR)
      : await ensureRendererBuild(opts.rendererDir, opts.log);
  const closers: (() => Promise<void>)[] = [];
  let router = opts.router;
  try {
    if (!router) {
      const journal = await openJournal({
        ...(opts.journalDir
          ? { dir: opts.journalDir }
          : env.LIFEBOAT_JOURNAL_DIR
            ? { dir: env.LIFEBOAT_JOURNAL_DIR }
            : {}),
      });
      closers.push(() => journal.close());
      const deps: ApiDeps = {
        configPath: opts.configPath ?? resolveConfigPath({ env }),
        journal,
        env,
        shell: "browser",
        sandbox: !!opts.sandbox,
        exportsDir: opts.exportsDir ?? join(journal.dir, "..", "exports"),
      };
      router = createApiRouter(deps);
    }
    const server = await startConsoleServer({
      router,
      rendererDir,
      ...(opts.port !== undefined ? { port: opts.port } : {}),
      ...(opts.token ? { token: opts.token } : {}),
    });
    closers.unshift(() => server.close());
    return {
      url: server.url,
      token: server.token,
      port: server.port,
      origin: server.origin,
      router,
      progressListeners: server.progressListeners,
      close: async () => {
        for (const c of closers) await c().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const c of closers) await c().catch(() => undefined);
    throw e;
  }
}
