// An HTTP proxy in front of the test S3 server that can break a download off mid-body, as a dropped connection or a
// VPN that goes away does: the response starts normally (status, full Content-Length) and the socket is destroyed
// after a set number of body bytes. It can also rewrite response headers, to play a store that answers differently
// from the one behind it (e.g. reports a shorter Object Lock than it was asked for) without a mock. Requests pass
// unchanged, Host header included, so SigV4 signatures stay valid.
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface CuttingProxy {
  url: string;
  /** Where requests go (the S3 server's endpoint); set before the first request. */
  target: string;
  /** The next GETs whose path matches are cut after `afterBytes` of body, for as long as armed. */
  cut(path: RegExp, afterBytes: number): void;
  disarm(): void;
  /** How many responses were cut so far. */
  readonly cuts: number;
  /** Awaited before a request is forwarded, while set: to change the store between a client's steps. */
  before: ((req: { method: string; path: string }) => Promise<void>) | undefined;
  /** Rewrites every response's headers while set. */
  rewrite: ((req: { method: string; path: string }, headers: IncomingHttpHeaders) => IncomingHttpHeaders) | undefined;
  stop(): Promise<void>;
}

export async function startCuttingProxy(): Promise<CuttingProxy> {
  let rule: { path: RegExp; afterBytes: number } | undefined;
  let cuts = 0;
  const proxy: CuttingProxy = {
    url: "",
    target: "",
    cut: (path, afterBytes) => void (rule = { path, afterBytes }),
    disarm: () => void (rule = undefined),
    rewrite: undefined,
    before: undefined,
    get cuts() {
      return cuts;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const target = new URL(req.url ?? "/", proxy.target);
    req.pause();
    await proxy.before?.({ method: req.method ?? "GET", path: target.pathname + target.search });
    const upstream = request(target, { method: req.method, headers: req.headers }, (up) => {
      const headers = proxy.rewrite
        ? proxy.rewrite({ method: req.method ?? "GET", path: target.pathname + target.search }, { ...up.headers })
        : up.headers;
      res.writeHead(up.statusCode ?? 502, headers);
      const r = rule;
      if (req.method !== "GET" || !r || !r.path.test(target.pathname)) return void up.pipe(res);
      let sent = 0;
      up.on("data", (chunk: Buffer) => {
        if (sent >= r.afterBytes) return;
        const part = chunk.subarray(0, r.afterBytes - sent);
        sent += part.length;
        res.write(part);
        if (sent >= r.afterBytes) {
          cuts++;
          up.destroy();
          // Flush what was written, then drop the connection without ending the body.
          setTimeout(() => res.socket?.destroy(), 20);
        }
      });
    });
    upstream.on("error", () => res.socket?.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
