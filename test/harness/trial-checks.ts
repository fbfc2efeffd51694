// What every fault or signal trial checks once the run is over: what the journal says, what is left on the server,
// in the store and in the process's temporary folder, and whether the source was touched.
import assert from "node:assert/strict";
import type { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { startLifeboatEnv, type LifeboatEnv } from "./lifeboat-env.ts";
import { leftovers, type SpawnedCli } from "./spawned-cli.ts";

// pg_dump and pg_restore connect as "lifeboat" (PGAPPNAME), like Lifeboat's own sessions; what they run tells them apart.
export const LIFEBOAT_SESSION = "application_name = 'lifeboat'";

export async function sessions(cluster: LocalCluster, where: string): Promise<number> {
  const r = await cluster.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend' AND ${where}`,
  );
  return r.rows[0].n as number;
}

/** Waits (up to 10 s) for the server to notice that a stopped client's sessions are gone. */
export async function noSessions(cluster: LocalCluster, where: string, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await sessions(cluster, where)) > 0) {
    if (Date.now() > deadline) assert.fail(`${what} is still connected to the server`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface RunRecord {
  seq: number;
  outcome: string;
  details: Record<string, any>;
}

/**
 * The end record of the newest run of `kind` (undefined while it is open), the seq of its start record (0: none), and
 * every run of it left open.
 */
export async function lastRun(
  env: LifeboatEnv,
  kind: string,
): Promise<{ outcome: string | undefined; end: RunRecord | undefined; open: number[]; startSeq: number }> {
  const r = await env.cli(["journal", "list", "--kind", kind, "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const records: RunRecord[] = r.json!.value.records;
  const ends = new Map(records.filter((x) => x.outcome !== "started").map((x) => [x.details.startSeq, x]));
  const starts = records.filter((x) => x.outcome === "started");
  const end = starts.length ? ends.get(starts.at(-1)!.seq) : undefined;
  return {
    outcome: end?.outcome,
    end,
    open: starts.filter((s) => !ends.has(s.seq)).map((s) => s.seq),
    startSeq: starts.at(-1)?.seq ?? 0,
  };
}

/** Nothing at all is left in the run's own TMPDIR, plaintext least of all; then the folder is removed. */
export async function assertTmpClean(run: SpawnedCli): Promise<void> {
  const left = await leftovers(run.tmp);
  assert.deepEqual(
    left.filter((l) => l.plaintext),
    [],
    "no plaintext archive is left in the temporary folder",
  );
  assert.deepEqual(left, [], "nothing at all is left in the process's temporary folder");
  await run.cleanup();
}

export async function backupIds(env: LifeboatEnv, profile = "clinic"): Promise<string[]> {
  const r = await env.cli(["backups", "-p", profile, "--json"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return r.json!.value.backups.map((b: { id: string }) => b.id);
}

/** The target database and any staging or replaced database Lifeboat made on the server. */
export async function restoreLeftovers(cluster: LocalCluster, target: string): Promise<string[]> {
  const r = await cluster.query(
    "SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE 'lifeboat\\_%' ORDER BY 1",
    [target],
  );
  return r.rows.map((x) => x.datname as string);
}

/** Every table of `database` with its exact row count: the source is untouched when this does not change. */
export async function tableCounts(cluster: LocalCluster, database: string): Promise<Record<string, number>> {
  const r = await cluster.query(
    `SELECT c.oid::regclass::text AS t,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %s', c.oid::regclass), false, true, '')))[1]::text::bigint AS n
     FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND s.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    [],
    database,
  );
  return Object.fromEntries(r.rows.map((x) => [x.t as string, Number(x.n)]));
}

export interface TrialEnv {
  env: LifeboatEnv;
  /** The source's row counts before any trial. */
  source: Record<string, number>;
  /** A first backup, made before any fault: what restores restore. */
  first: { id: string; object: { bytes: number }; dumpBytes: number };
}

/** The environment trials run in: the clinic database, its row counts, and a first backup made without faults. */
export async function startTrialEnv(
  opts: Parameters<typeof startLifeboatEnv>[0],
): Promise<TrialEnv | { skip: string }> {
  const env = await startLifeboatEnv(opts);
  if ("skip" in env) return env;
  const source = await tableCounts(env.cluster, "clinic");
  const first = await env.cli(["backup", "--json"]);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  return { env, source, first: first.json!.value };
}
