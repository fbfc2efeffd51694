// An HTTP proxy in front of the test S3 server that misbehaves by rule, as real stores and networks do: answers 500
// (InternalError) or 503 (SlowDown) without passing the request on, resets the connection, truncates a response body
// (full Content-Length announced, half of it sent, then the socket dropped), freezes (takes the request and never
// answers), or loses the reply (passes the request on, then answers 500 whatever the store said: a write that happened
// but was never confirmed). Requests that match no rule pass unchanged, Host header included, so SigV4 signatures stay valid.
// `startFrozenServer` is the simplest frozen peer of all: a TCP server that accepts every connection and never says a
// word.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";

export type Fault = "500" | "503" | "reset" | "truncate" | "freeze" | "lost";

export interface FaultRule {
  fault: Fault;
  method?: string;
  /** Matched against the path and query string, e.g. /\?uploads/ or /\.age\?.*partNumber=/. */
  path?: RegExp;
  /** How many matching requests get the fault (default: every one while the rule is set). */
  times?: number;
}

export interface FaultProxy {
  url: string;
  /** Where requests go (the S3 server's endpoint); may be set after the start, before the first request. */
  target: string;
  /** Sets the rules (replacing any before); an empty list passes everything. */
  set(...rules: FaultRule[]): void;
  /** The requests a fault was applied to, as "<fault> <METHOD> <path>". */
  readonly applied: string[];
  stop(): Promise<void>;
}

const S3_ERRORS: Record<"500" | "503", { status: number; code: string; message: string }> = {
  "500": { status: 500, code: "InternalError", message: "We encountered an internal error. Please try again." },
  "503": { status: 503, code: "SlowDown", message: "Please reduce your request rate." },
};

function s3Error(res: ServerResponse, fault: "500" | "503"): void {
  const e = S3_ERRORS[fault];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${e.code}</Code><Message>${e.message}</Message></Error>`;
  res.writeHead(e.status, { "content-type": "application/xml", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

export async function startFaultProxy(target = ""): Promise<FaultProxy> {
  let rules: { rule: FaultRule; left: number }[] = [];
  const applied: string[] = [];
  const sockets = new Set<Socket>();

  const pick = (req: IncomingMessage): Fault | undefined => {
    const path = req.url ?? "/";
    const hit = rules.find(
      (r) => r.left > 0 && (!r.rule.method || r.rule.method === req.method) && (!r.rule.path || r.rule.path.test(path)),
    );
    if (!hit) return undefined;
    hit.left--;
    applied.push(`${hit.rule.fault} ${req.method} ${path}`);
    return hit.rule.fault;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, fault?: "truncate" | "lost"): void => {
    const truncate = fault === "truncate";
    const upstream = request(
      new URL(req.url ?? "/", proxy.target),
      { method: req.method, headers: req.headers },
      (up) => {
        if (fault === "lost") {
          up.resume();
          return void up.on("end", () => s3Error(res, "500"));
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        const length = Number(up.headers["content-length"] ?? 0);
        if (!truncate || length < 2) return void up.pipe(res);
        let sent = 0;
        const half = Math.floor(length / 2);
        up.on("data", (chunk: Buffer) => {
          if (sent >= half) return;
          const part = chunk.subarray(0, half - sent);
          sent += part.length;
          res.write(part);
          if (sent >= half) {
            up.destroy();
            setTimeout(() => res.socket?.destroy(), 20);
          }
        });
      },
    );
    upstream.on("error", () => res.socket?.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const fault = pick(req);
    if (fault === undefined || fault === "truncate" || fault === "lost") return forward(req, res, fault);
    if (fault === "freeze") return void req.resume(); // read what it sends, never answer
    if (fault === "reset") return void req.socket.resetAndDestroy();
    req.resume();
    req.on("end", () => s3Error(res, fault));
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxy: FaultProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target,
    set: (...r) => void (rules = r.map((rule) => ({ rule, left: rule.times ?? Infinity }))),
    applied,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
  return proxy;
}

/** A TCP server that accepts connections and never answers: a frozen S3 endpoint. `connections` counts them. */
export async function startFrozenServer(): Promise<{
  url: string;
  readonly connections: number;
  stop(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createTcpServer((s) => {
    connections++;
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
    s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get connections() {
      return connections;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
