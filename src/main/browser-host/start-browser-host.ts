// `lifeboat console` without Electron, and what end-to-end tests start: the API router of a session over the user's
// config and journal, served with the renderer on loopback.
import type { ApiRouter } from "../api/router.ts";
import { openSession, type Session, type SessionOptions } from "../session/open-session.ts";
import { startConsoleServer } from "./console-server.ts";
import { DEFAULT_RENDERER_DIR, ensureRendererBuild } from "../console-assets/renderer-build.ts";

export interface BrowserHostOptions extends Omit<SessionOptions, "face"> {
  /** A session opened by the caller (it closes it); otherwise one is opened from the options above. */
  session?: Session;
  rendererDir?: string;
  /** Build the renderer when it is missing (default true). */
  build?: boolean;
  port?: number;
  token?: string;
  log?: (line: string) => void;
  /** Replaces the session's router (tests). */
  router?: ApiRouter;
}

export interface BrowserHost {
  /** Open this once: a one-time session link, exchanged by the page for the session token. */
  url: string;
  /** Another one-time session link. */
  newLink(): string;
  token: string;
  port: number;
  origin: string;
  router: ApiRouter;
  progressListeners(): number;
  close(): Promise<void>;
}

export async function startBrowserHost(opts: BrowserHostOptions = {}): Promise<BrowserHost> {
  const rendererDir =
    opts.build === false
      ? (opts.rendererDir ?? DEFAULT_RENDERER_DIR)
      : await ensureRendererBuild(opts.rendererDir, opts.log);
  const closers: (() => Promise<void>)[] = [];
  try {
    let router = opts.router ?? opts.session?.router;
    if (!router) {
      const session = await openSession({ ...opts, face: "browser" });
      closers.push(() => session.close());
      router = session.router;
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
      newLink: server.newLink,
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
