// The Neon sandbox: time from the createProjectBranch request to a branch at T that answers a query, for the
// clinical sample database. T lies in the recent past, as in a recovery: the branch is a real point-in-time recovery
// (base backup copy + archived WAL replay + promotion) with a compute of its own.
// Run alone: node --import tsx test/bench/sandbox-bench.ts   (LIFEBOAT_BENCH_SANDBOX_SCALE=1 for a quicker run)
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startSandbox, type RecoveryTimings, type Sandbox } from "../../src/main/sandbox/index.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(
  s: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.apiUrl}/projects/${s.projectId}${path}`, {
    method,
    headers: { Authorization: `Bearer ${s.apiKey}`, "Content-Type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

async function waitOps(s: Sandbox, ops: { id: string }[]): Promise<void> {
  for (const op of ops) {
    for (;;) {
      const r = await api(s, "GET", `/operations/${op.id}`);
      const status = (r.body.operation as { status: string; error?: string }).status;
      if (status === "finished") break;
      if (status === "failed") throw new Error(`operation failed: ${(r.body.operation as { error?: string }).error}`);
      await sleep(20);
    }
  }
}

async function firstQuery(uri: string): Promise<number> {
  for (;;) {
    const c = new pg.Client({ connectionString: uri });
    c.on("error", () => {});
    try {
      await c.connect();
      const r = await c.query(`SELECT count(*)::int AS n FROM "ClinicalNote"`);
      return (r.rows[0] as { n: number }).n;
    } catch {
      await sleep(10);
    } finally {
      await c.end().catch(() => {});
    }
  }
}

async function sql<T>(uri: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: uri });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchSandbox(
  opts: { scale?: number; runs?: number; log?: (s: string) => void } = {},
): Promise<Record<string, number | string>> {
  const scale = opts.scale ?? Number(process.env.LIFEBOAT_BENCH_SANDBOX_SCALE ?? 10);
  const runs = opts.runs ?? 3;
  const log = opts.log ?? ((s: string) => console.log(s));
  const dir = await mkdtemp(join(tmpdir(), "lifeboat-sandbox-bench-"));
  const started = process.hrtime.bigint();
  // A user's sandbox: durable settings (fsync on), as `lifeboat sandbox` runs it.
  const phases: RecoveryTimings[] = [];
  const s = await startSandbox({ dir, scale, say: (l) => log(`  ${l}`), onRecovery: (r) => phases.push(r.timings) });
  const startupS = Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const main = s.connectionUri() as string;
    const [size] = await sql<{ mb: number }>(
      main,
      "SELECT round(pg_database_size(current_database()) / 1048576.0, 1)::float8 AS mb",
    );
    const [notes] = await sql<{ n: number }>(main, `SELECT count(*)::int AS n FROM "ClinicalNote"`);
    const toReady: number[] = [];
    const toQuery: number[] = [];
    const toResponse: number[] = [];
    let walMb = 0;
    for (let i = 0; i < runs; i++) {
      // Some traffic, then T, then more traffic that the branch must not contain.
      await sql(main, `UPDATE "Patient" SET "updatedAt" = now() WHERE "id" % 7 = $1`, [i]);
      await sleep(1100);
      const t = new Date().toISOString();
      const [w] = await sql<{ mb: number }>(
        main,
        "SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') / 1048576.0, 1)::float8 AS mb",
      );
      walMb = w?.mb ?? 0;
      await sql(main, `INSERT INTO "AuditLog" ("action", "tableName", "recordId") VALUES ('CREATE', 'Bench', $1)`, [
        String(i),
      ]);
      const t0 = process.hrtime.bigint();
      const r = await api(s, "POST", "/branches", {
        branch: { name: `bench-${i}`, parent_timestamp: t },
        endpoints: [{ type: "read_write" }],
      });
      if (r.status !== 201) throw new Error(`createProjectBranch: ${r.status} ${JSON.stringify(r.body)}`);
      toResponse.push(Number(process.hrtime.bigint() - t0) / 1e6);
      await waitOps(s, r.body.operations as { id: string }[]);
      toReady.push(Number(process.hrtime.bigint() - t0) / 1e9);
      const uri = (r.body.connection_uris as { connection_uri: string }[])[0]!.connection_uri;
      const n = await firstQuery(uri);
      toQuery.push(Number(process.hrtime.bigint() - t0) / 1e9);
      if (n !== notes?.n) throw new Error(`branch at T has ${n} notes, expected ${notes?.n}`);
      const bench = await sql<{ n: number }>(
        uri,
        `SELECT count(*)::int AS n FROM "AuditLog" WHERE "tableName" = 'Bench' AND "recordId" = $1`,
        [String(i)],
      );
      if (bench[0]?.n !== 0) throw new Error("the branch at T holds a row committed after T");
      const del = await api(s, "DELETE", `/branches/${(r.body.branch as { id: string }).id}`);
      await waitOps(s, del.body.operations as { id: string }[]);
      const p = phases[phases.length - 1];
      log(
        `  run ${i + 1}: queryable branch at T in ${round(toQuery[i]!)} s (API answered in ${round(toResponse[i]!, 0)} ms; archive ${p?.sourceArchiveMs} ms, copy ${p?.copyMs} ms, replay+promote ${p?.replayMs} ms, WAL ${round((p?.walReplayedBytes ?? 0) / 1048576, 1)} MB)`,
      );
    }
    const restoreStart = process.hrtime.bigint();
    const rr = await api(s, "POST", `/branches/${s.defaultBranchId}/restore`, {
      source_branch_id: s.defaultBranchId,
      source_timestamp: new Date().toISOString(),
      preserve_under_name: "bench-preserved",
    });
    await waitOps(s, rr.body.operations as { id: string }[]);
    await firstQuery(main);
    const restoreS = Number(process.hrtime.bigint() - restoreStart) / 1e9;
    return {
      scale,
      databaseMb: size?.mb ?? 0,
      clinicalNotes: notes?.n ?? 0,
      walWrittenMb: walMb,
      sandboxStartupS: round(startupS),
      branchAtTQueryableMedianS: round(median(toQuery)),
      branchAtTQueryableMinS: round(Math.min(...toQuery)),
      branchAtTOperationsFinishedMedianS: round(median(toReady)),
      phaseSourceArchiveMedianMs: median(phases.slice(0, runs).map((p) => p.sourceArchiveMs ?? 0)),
      phaseCopyBaseBackupMedianMs: median(phases.slice(0, runs).map((p) => p.copyMs)),
      phaseReplayAndPromoteMedianMs: median(phases.slice(0, runs).map((p) => p.replayMs)),
      createBranchResponseMedianMs: round(median(toResponse), 0),
      inPlaceRestoreQueryableS: round(restoreS),
      runs,
    };
  } finally {
    await s.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await benchSandbox(), null, 2));
}
