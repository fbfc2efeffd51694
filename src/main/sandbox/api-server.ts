import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { listenLocal } from "./listen-local.ts";
import { regionOutageMessage } from "./region-outage-incident.ts";
import { FAULT_MESSAGES, OPERATION_FAULTS, REQUEST_FAULTS } from "./faults.ts";
import { NEON_ID } from "./neon-ids.ts";
import { NeonApiError } from "./neon-error.ts";
import { ROUTES } from "./neon-routes.ts";
import type { SandboxProject } from "./sandbox-project.ts";

export const API_BASE = "/api/v2";
const MAX_BODY = 1024 * 1024;

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ApiRequestLog {
  method: string;
  path: string;
  operationId?: string;
  /** 0 when the connection was dropped on purpose (a fault). */
  status: number;
  requestId: string;
  /** The injected fault that hit this request. */
  fault?: string;
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new NeonApiError(413, "request body too large"));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function send(
  res: ServerResponse,
  status: number,
  requestId: string,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  res.setHeader("X-Neon-Request-Id", requestId);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res
    .writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) })
    .end(text);
}

/**
 * The sandbox's Neon API on 127.0.0.1: Bearer-key auth, Neon's error shape ({ code, message, request_id }) and the
 * routes of neon-routes.ts under /api/v2.
 */
export async function startApiServer(
  project: SandboxProject,
  opts: {
    apiKey: string;
    port?: number;
    portIsPreference?: boolean;
    onRequest?: (log: ApiRequestLog) => void;
  },
): Promise<ApiServer> {
  const keyDigest = digest(opts.apiKey);

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
  ): Promise<{ status: number; operationId?: string; fault?: string }> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const auth = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
    if (!auth || !timingSafeEqual(digest(auth), keyDigest))
      throw new NeonApiError(401, "authentication failed: the API key is missing or not valid");
    if (!url.pathname.startsWith(API_BASE + "/")) throw new NeonApiError(404, "not found");
    const path = url.pathname.slice(API_BASE.length).replace(/\/+$/, "");
    const matches = ROUTES.map((r) => ({ r, m: r.path.exec(path) })).filter((x) => x.m);
    const hit = matches.find((x) => x.r.method === method);
    if (!hit)
      throw matches.length
        ? new NeonApiError(405, `method ${method} not allowed on ${url.pathname}`)
        : new NeonApiError(404, "not found");
    const params = Object.fromEntries(Object.entries(hit.m?.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    for (const k of ["project_id", "branch_id", "endpoint_id", "operation_id"])
      if (params[k] !== undefined && !NEON_ID.test(params[k])) throw new NeonApiError(404, "not found");
    if (params.project_id !== undefined && params.project_id !== project.id)
      throw new NeonApiError(404, `project ${params.project_id} not found`);
    const outage = project.state.project.regionOutageSince;
    if (outage) throw new NeonApiError(503, regionOutageMessage(outage));
    const fault = project.faults.take(hit.r.operationId, method, REQUEST_FAULTS);
    if (fault?.kind === "status") {
      const status = fault.status ?? 503;
      throw new NeonApiError(
        status,
        fault.message ?? FAULT_MESSAGES[status] ?? `HTTP ${status} (injected by the Lifeboat sandbox)`,
        undefined,
        fault.retryAfterSeconds !== undefined ? { "Retry-After": String(fault.retryAfterSeconds) } : {},
      );
    }
    if (fault?.kind === "drop-before") {
      req.socket.destroy();
      return { status: 0, operationId: hit.r.operationId, fault: fault.kind };
    }
    let body: unknown;
    if (method === "POST" || method === "PATCH" || method === "PUT") {
      const text = await readBody(req);
      if (text.trim()) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new NeonApiError(400, "the request body is not valid JSON");
        }
      }
    }
    const operationFault = project.faults.take(hit.r.operationId, method, OPERATION_FAULTS);
    const result = await hit.r.handle({
      project,
      params,
      query: url.searchParams,
      body,
      ...(operationFault ? { operationFault } : {}),
    });
    // A slow answer: the work is done at once, the answer takes its time (beyond a client's timeout, it is lost).
    if (fault?.kind === "delay") await pause(fault.delayMs ?? 5000);
    if (fault?.kind === "drop-after") {
      // Done, and the answer never leaves: what a client sees when the network drops at the worst moment.
      res.socket?.destroy();
      return { status: 0, operationId: hit.r.operationId, fault: fault.kind };
    }
    if (fault?.kind === "status-after") {
      const status = fault.status ?? 502;
      throw new NeonApiError(status, fault.message ?? FAULT_MESSAGES[status] ?? `HTTP ${status}`);
    }
    send(res, result.status, requestId, result.body);
    return { status: result.status, operationId: hit.r.operationId };
  }

  const server: Server = createServer((req, res) => {
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && given.length > 0 && given.length <= 200 ? given : randomUUID();
    handle(req, res, requestId).then(
      (r) =>
        opts.onRequest?.({
          method: req.method ?? "",
          path: req.url ?? "",
          status: r.status,
          requestId,
          ...(r.operationId ? { operationId: r.operationId } : {}),
          ...(r.fault ? { fault: r.fault } : {}),
        }),
      (e: unknown) => {
        const err =
          e instanceof NeonApiError
            ? e
            : new NeonApiError(
                500,
                `internal error in the Lifeboat sandbox: ${e instanceof Error ? e.message : String(e)}`,
              );
        if (!res.headersSent && !res.socket?.destroyed)
          send(
            res,
            err.status,
            requestId,
            { code: err.code, message: err.message, request_id: requestId },
            err.headers,
          );
        opts.onRequest?.({ method: req.method ?? "", path: req.url ?? "", status: err.status, requestId });
      },
    );
  });
  // Longer than any client's idle timeout, so the client closes an idle connection first: a request sent on a socket
  // the server is closing at that very moment fails with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const port = await listenLocal(server, opts.port, opts.portIsPreference);
  return {
    url: `http://127.0.0.1:${port}${API_BASE}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
