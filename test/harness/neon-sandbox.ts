// The local Neon sandbox for tests: a real sandbox (real PostgreSQL, WAL archive, point-in-time recovery) in a
// temporary folder, fast settings (fsync off), removed afterwards. Also small helpers to call its API.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import pg from "pg";
import { startSandbox, type Sandbox, type SandboxOptions } from "../../src/main/sandbox/index.ts";

export interface TestSandbox {
  sandbox: Sandbox;
  dir: string;
  /** Stops the sandbox and removes its folder. */
  destroy(): Promise<void>;
}

export async function startTestSandbox(opts: SandboxOptions = {}): Promise<TestSandbox> {
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "lifeboat-sandbox-test-")));
  try {
    const sandbox = await startSandbox({ scale: 1, fast: true, ...opts, dir });
    return {
      sandbox,
      dir,
      destroy: async () => {
        await sandbox.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

/** One sandbox for the enclosing suite, started in before() and destroyed in after() even when tests fail. */
export function useSandbox(opts: SandboxOptions = {}): () => Sandbox {
  let t: TestSandbox | undefined;
  before(async () => {
    t = await startTestSandbox(opts);
    // Tests recover to "a second ago": that must be inside the history, which begins when the project is made (and
    // Neon, like the sandbox, keeps the point to the second).
    await new Promise((r) => setTimeout(r, 2100));
  });
  after(async () => {
    await t?.destroy();
  });
  return () => {
    if (!t) throw new Error("useSandbox: the sandbox is not started yet (use it inside a test)");
    return t.sandbox;
  };
}

/** A JSON body of Neon's API as the tests read it: shapes are checked against the spec, not by the compiler. */

export type NeonBody = any;

export interface ApiResponse<T = NeonBody> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the sandbox's Neon API; `path` is relative to /api/v2 and may start with "/projects/{id}" or use ":project". */
export async function neonApi<T = NeonBody>(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  opts: { apiKey?: string | null } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const key = opts.apiKey === undefined ? sandbox.apiKey : opts.apiKey;
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(
    sandbox.apiUrl + path.replace(":project", `projects/${sandbox.projectId}`).replace(/^([^/])/, "/$1"),
    {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    },
  );
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

/** Polls each operation until finished; throws with Neon's error when one fails for good. */
export async function waitForOperations(
  sandbox: Sandbox,
  operations: { id: string }[],
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const op of operations) {
    for (;;) {
      const r = await neonApi(sandbox, "GET", `:project/operations/${op.id}`);
      if (r.status !== 200) throw new Error(`getProjectOperation ${op.id}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      const status = r.body.operation.status as string;
      if (status === "finished") break;
      // "error" is an attempt that failed while Neon retries the operation: it is still under way.
      if (status === "failed" || status === "cancelled")
        throw new Error(`operation ${r.body.operation.action} ${status}: ${r.body.operation.error}`);
      if (Date.now() > deadline) throw new Error(`operation ${op.id} still ${status} after ${timeoutMs} ms`);
      await new Promise((res) => setTimeout(res, 100));
    }
  }
}

/** createProjectBranch with a read_write compute, waited for; returns the branch and its connection URI. */
export async function createBranch(
  sandbox: Sandbox,
  branch: { name?: string; parent_id?: string; parent_timestamp?: string; parent_lsn?: string } = {},
): Promise<{ branch: NeonBody; uri: string }> {
  const r = await neonApi(sandbox, "POST", ":project/branches", { branch, endpoints: [{ type: "read_write" }] });
  if (r.status !== 201) throw new Error(`createProjectBranch: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  await waitForOperations(sandbox, r.body.operations);
  return { branch: r.body.branch, uri: r.body.connection_uris[0].connection_uri };
}

/** One query on a connection URI. */
export async function queryUri<R = NeonBody>(uri: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: uri });
  c.on("error", () => {});
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as R[];
  } finally {
    await c.end().catch(() => {});
  }
}
