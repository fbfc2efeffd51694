// Builds a clinical sample database of at least a given size in a local cluster, for benchmarks.
// It generates a small calibration set, measures bytes per unit of scale, then generates the full set once.
import type { LocalCluster } from "../../src/main/postgres/local-cluster.ts";
import { createClinicalSchema, generateClinicalData } from "../../src/main/sample/clinical-sample.ts";

export interface SampleDb {
  database: string;
  bytes: number;
  scale: number;
  rows: Record<string, number>;
  seconds: number;
}

async function databaseBytes(cluster: LocalCluster, database: string): Promise<number> {
  const r = await cluster.query("SELECT pg_database_size(current_database())::bigint AS b", [], database);
  return Number(r.rows[0].b);
}

async function build(
  cluster: LocalCluster,
  database: string,
  scale: number,
  seed: number,
  onProgress?: (table: string, rows: number) => void,
): Promise<Record<string, number>> {
  await cluster.query(`DROP DATABASE IF EXISTS "${database}"`);
  await cluster.query(`CREATE DATABASE "${database}"`);
  await createClinicalSchema(cluster.conn(database));
  return generateClinicalData(cluster.conn(database), { scale, seed, ...(onProgress ? { onProgress } : {}) });
}

/** Generates until pg_database_size >= targetBytes. The database (default "clinic") is dropped and recreated. */
export async function makeSampleDb(
  cluster: LocalCluster,
  targetBytes: number,
  opts: { database?: string; seed?: number; onProgress?: (table: string, rows: number) => void } = {},
): Promise<SampleDb> {
  const database = opts.database ?? "clinic";
  const seed = opts.seed ?? 1;
  const started = Date.now();
  const calibration = 10;
  const calibrationRows = await build(cluster, database, calibration, seed);
  const calibrationBytes = await databaseBytes(cluster, database);
  if (calibrationBytes >= targetBytes)
    return {
      database,
      bytes: calibrationBytes,
      scale: calibration,
      rows: calibrationRows,
      seconds: (Date.now() - started) / 1000,
    };
  const emptyBytes = await (async () => {
    await cluster.query(`DROP DATABASE IF EXISTS "${database}_empty"`);
    await cluster.query(`CREATE DATABASE "${database}_empty"`);
    await createClinicalSchema(cluster.conn(`${database}_empty`));
    const b = await databaseBytes(cluster, `${database}_empty`);
    await cluster.query(`DROP DATABASE "${database}_empty"`);
    return b;
  })();
  const perScale = Math.max(1, (calibrationBytes - emptyBytes) / calibration);
  // A little over, so one full generation usually suffices; each retry grows the scale by a quarter.
  let scale = Math.max(calibration, Math.ceil(((targetBytes - emptyBytes) / perScale) * 1.04));
  for (;;) {
    const rows = await build(cluster, database, scale, seed, opts.onProgress);
    const bytes = await databaseBytes(cluster, database);
    if (bytes >= targetBytes) return { database, bytes, scale, rows, seconds: (Date.now() - started) / 1000 };
    scale = Math.ceil(scale * Math.max(1.25, (targetBytes / bytes) * 1.04));
  }
}
