// A programmable HTTP server on 127.0.0.1 standing in for the Neon API in unit tests of the client's boundary:
// what is sent (or not) and how each status is handled. The behaviour of a real project is tested against the
// sandbox (real PostgreSQL point-in-time recovery) in the *.int.test.ts files.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface StubReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A reply, "hang" to never answer (a network timeout), or "reset" to drop the connection without an answer. */
export type StubHandler = (req: StubRequest) => StubReply | "hang" | "reset" | Promise<StubReply | "hang" | "reset">;

export interface StubNeon {
  /** The API base URL to put in neon.apiHost. */
  url: string;
  requests: StubRequest[];
  handle: StubHandler;
  stop(): Promise<void>;
}

export async function startStubNeon(handle: StubHandler): Promise<StubNeon> {
  const hanging = new Set<ServerResponse>();
  const stub: StubNeon = {
    url: "",
    requests: [],
    handle,
    stop: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const c of req) raw += c;
    const url = new URL(req.url ?? "/", "http://stub");
    const r: StubRequest = {
      method: req.method ?? "GET",
      path: url.pathname.replace(/^\/api\/v2/, ""),
      query: url.searchParams,
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
    };
    stub.requests.push(r);
    const reply = await stub.handle(r);
    if (reply === "hang") {
      hanging.add(res);
      return;
    }
    if (reply === "reset") {
      res.socket?.destroy();
      return;
    }
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
  return stub;
}

export const NOW = new Date();

export function project(over: Record<string, unknown> = {}) {
  return {
    id: "quiet-lake-123456",
    name: "clinic",
    region_id: "aws-us-east-2",
    platform_id: "aws",
    pg_version: 17,
    history_retention_seconds: 86_400,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...over,
  };
}

export function branch(name: string, over: Record<string, unknown> = {}) {
  return {
    id: `br-${name.replace(/[^a-z0-9]+/g, "-")}-1`,
    project_id: "quiet-lake-123456",
    name,
    current_state: "ready",
    default: false,
    protected: false,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...over,
  };
}

export function operation(action: string, status: string, over: Record<string, unknown> = {}) {
  return {
    id: `op-${action}-${Math.random().toString(16).slice(2, 10)}`,
    project_id: "quiet-lake-123456",
    action,
    status,
    failures_count: 0,
    created_at: NOW.toISOString(),
    updated_at: NOW.toISOString(),
    total_duration_ms: 0,
    ...over,
  };
}

export const error = (status: number, message: string, extra: Record<string, unknown> = {}): StubReply => ({
  status,
  body: { code: "", message, request_id: `req-${status}-abc`, ...extra },
});

export interface MiniState {
  project: ReturnType<typeof project>;
  branches: Array<ReturnType<typeof branch>>;
  uri: string;
}

/** Just enough of a project for boundary tests: branches can be listed, created, restored and deleted. */
export function miniProject(state: MiniState): StubHandler {
  return (r) => {
    const p = r.path;
    if (r.method === "GET" && p === "/projects/quiet-lake-123456")
      return { status: 200, body: { project: state.project } };
    if (r.method === "GET" && p === "/projects/quiet-lake-123456/branches")
      return { status: 200, body: { branches: state.branches } };
    if (r.method === "POST" && p === "/projects/quiet-lake-123456/branches") {
      const body = r.body as { branch: { name: string; parent_id: string }; endpoints?: unknown[] };
      const b = branch(body.branch.name, { parent_id: body.branch.parent_id, created_at: new Date().toISOString() });
      state.branches.push(b);
      const endpoints = body.endpoints
        ? [{ id: "ep-x-1", host: "ep-x-1.example.invalid", type: "read_write", current_state: "init", branch_id: b.id }]
        : [];
      return {
        status: 201,
        body: { branch: b, endpoints, operations: [operation("create_branch", "finished", { branch_id: b.id })] },
      };
    }
    const restore = /^\/projects\/quiet-lake-123456\/branches\/([^/]+)\/restore$/.exec(p);
    if (r.method === "POST" && restore) {
      const b = state.branches.find((x) => x.id === restore[1]);
      const body = r.body as { preserve_under_name: string };
      state.branches.push(branch(body.preserve_under_name));
      return { status: 200, body: { branch: b, operations: [operation("restore_timeline", "finished")] } };
    }
    const one = /^\/projects\/quiet-lake-123456\/branches\/([^/]+)$/.exec(p);
    if (r.method === "DELETE" && one) {
      const i = state.branches.findIndex((x) => x.id === one[1]);
      const [b] = state.branches.splice(i, 1);
      return { status: 200, body: { branch: b, operations: [operation("delete_timeline", "finished")] } };
    }
    if (r.method === "GET" && p === "/projects/quiet-lake-123456/operations")
      return { status: 200, body: { operations: [] } };
    if (r.method === "GET" && p === "/projects/quiet-lake-123456/connection_uri")
      return { status: 200, body: { uri: state.uri } };
    if (r.method === "GET" && p === "/projects/quiet-lake-123456/endpoints") {
      return {
        status: 200,
        body: {
          endpoints: [
            {
              id: "ep-main-1",
              branch_id: state.branches[0]?.id,
              host: "ep-main-1.example.invalid",
              type: "read_write",
              current_state: "idle",
            },
          ],
        },
      };
    }
    if (r.method === "GET" && /\/branches\/[^/]+\/endpoints$/.test(p))
      return {
        status: 200,
        body: {
          endpoints: [
            { id: "ep-main-1", host: "ep-main-1.example.invalid", type: "read_write", current_state: "idle" },
          ],
        },
      };
    return error(404, `stub has no ${r.method} ${p}`);
  };
}
