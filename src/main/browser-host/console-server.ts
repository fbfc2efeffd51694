// The browser host's HTTP server: the built renderer as static files and the API router as POST /api/invoke, with
// progress as Server-Sent Events on /api/events. Binds 127.0.0.1 on a random port. The printed link carries a one-time
// code in its fragment (never sent to a server by the browser itself); the page exchanges it once, at POST
// /api/session, for the session token, which then travels as a header. A second use of the link, in another browser
// or after it leaked, is refused; `newLink()` makes another. Static files need no token (they are the public bundle,
// holding no data); every other /api/ request does. Host and Origin are checked on every request.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { EVENTS_PATH, INVOKE_PATH, LINK_HEADER, SESSION_PATH } from "../../shared/api/bridge.ts";
import type { ApiRouter } from "../api/router.ts";
import { SECURITY_HEADERS } from "../console-assets/content-security-policy.ts";
import { ProgressStream } from "./progress-stream.ts";
import { checkHost, checkOrigin, checkToken, type GuardFailure } from "./request-guard.ts";
import { serveStatic } from "../console-assets/static-files.ts";

const MAX_BODY = 8 * 1024 * 1024;

export interface ConsoleServerOptions {
  router: ApiRouter;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default: 32 random bytes. Tests may pin it. */
  token?: string;
}

export interface ConsoleServer {
  /** Open this once: its fragment carries a one-time code that signs one browser tab in. */
  url: string;
  /** Another one-time session link (the first was used, or another tab or browser needs one). */
  newLink(): string;
  token: string;
  port: number;
  origin: string;
  /** How many console tabs are listening for progress right now. */
  progressListeners(): number;
  close(): Promise<void>;
}

const API_HEADERS = {
  ...SECURITY_HEADERS,
  "cache-control": "no-store",
  "content-type": "application/json; charset=utf-8",
};

function refuse(res: ServerResponse, f: GuardFailure): void {
  res.writeHead(f.status, API_HEADERS).end(JSON.stringify({ ok: false, error: { code: "USAGE", message: f.message } }));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function startConsoleServer(opts: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = opts.token ?? randomBytes(32).toString("base64url");
  const progress = new ProgressStream();
  let port = 0;
  /** Link codes not yet exchanged. */
  const links = new Set<string>();

  function exchange(req: IncomingMessage, res: ServerResponse): void {
    const code = req.headers[LINK_HEADER];
    if (req.method !== "POST" || typeof code !== "string" || !links.delete(code))
      return refuse(res, {
        status: 401,
        message:
          "This session link was already used (it signs in one browser tab, once) or is not from this console. For a new link, press Enter in the terminal running `lifeboat console`, or start it again.",
      });
    res.writeHead(200, API_HEADERS).end(JSON.stringify({ ok: true, value: { token } }));
  }

  async function api(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === SESSION_PATH) return exchange(req, res);
    const denied = checkToken(req, token);
    if (denied) return refuse(res, denied);
    if (path === EVENTS_PATH && req.method === "GET") return progress.attach(res, SECURITY_HEADERS);
    if (path !== INVOKE_PATH) return refuse(res, { status: 403, message: `No API endpoint ${path}.` });
    if (req.method !== "POST") return void res.writeHead(405, { ...API_HEADERS, allow: "POST" }).end();
    // JSON only: a cross-site form can send only form encodings, and is stopped here even before the token check.
    if (!/^application\/json\b/.test(req.headers["content-type"] ?? ""))
      return void res
        .writeHead(415, API_HEADERS)
        .end(JSON.stringify({ ok: false, error: { code: "USAGE", message: "Send application/json." } }));
    const body = await readBody(req);
    if (body === undefined)
      return void res
        .writeHead(413, API_HEADERS)
        .end(JSON.stringify({ ok: false, error: { code: "USAGE", message: "The request is too large." } }));
    let msg: { channel?: unknown; payload?: unknown };
    try {
      msg = JSON.parse(body) as typeof msg;
    } catch {
      return void res
        .writeHead(400, API_HEADERS)
        .end(JSON.stringify({ ok: false, error: { code: "USAGE", message: "The request is not JSON." } }));
    }
    const result = await opts.router.invoke(msg?.channel, msg?.payload, { onProgress: (e) => progress.send(e) });
    res.writeHead(200, API_HEADERS).end(JSON.stringify(result));
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.split("#")[0]!;
    const guard = checkHost(req, port) ?? checkOrigin(req, port);
    if (guard) return refuse(res, guard);
    const work = path.startsWith("/api/")
      ? api(req, res, path)
      : req.method === "GET" || req.method === "HEAD"
        ? serveStatic(opts.rendererDir, path, res, SECURITY_HEADERS, req.method === "HEAD")
        : Promise.resolve(void res.writeHead(405, SECURITY_HEADERS).end());
    work.catch((e: unknown) => {
      console.error(`lifeboat console: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent)
        res
          .writeHead(500, API_HEADERS)
          .end(
            JSON.stringify({ ok: false, error: { code: "INTERNAL", message: "The console host failed to answer." } }),
          );
      else res.end();
    });
  });
  server.headersTimeout = 20_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const newLink = (): string => {
    const code = randomBytes(24).toString("base64url");
    links.add(code);
    return `${origin}/#link=${code}`;
  };
  return {
    url: newLink(),
    newLink,
    token,
    port,
    origin,
    progressListeners: () => progress.size,
    close: async () => {
      progress.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
