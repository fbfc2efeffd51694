// A local HTTP server that records what heartbeats and webhooks send it: the stand-in for healthchecks.io and for a
// Slack or Teams incoming webhook. `status` sets what it answers; `closedUrl()` gives a URL nothing listens on.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { freePort } from "../../src/main/postgres/free-port.ts";

export interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

export interface HttpReceiver {
  url: string;
  received: Received[];
  status: number;
  /** Resolves once `n` requests have arrived (already arrived ones count). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<HttpReceiver> {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const r = { status: 200 } as HttpReceiver;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: req.url ?? "", contentType: req.headers["content-type"], body });
      res.writeHead(r.status, { "content-type": "text/plain" }).end("OK");
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(r, {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(n: number, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} requests, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A loopback URL with nothing listening: a heartbeat service that is down. */
export async function closedUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/ping/down`;
}
