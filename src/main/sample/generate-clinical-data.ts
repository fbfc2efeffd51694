import type pg from "pg";
import { LifeboatError } from "../../shared/errors.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { connect } from "../postgres/connect.ts";
import { toLifeboatError } from "../postgres/pg-errors.ts";
import { CLINICAL_TABLES, type ClinicalTable } from "./clinical-schema.ts";
import { insertSql, ROWS_PER_SCALE, type RowCounts } from "./clinical-rows-sql.ts";

export interface SampleOptions {
  /** Number of patients; sets the scale (150 patients = scale 1) when given. */
  patients?: number;
  /** Multiplier; 1 = the seed's clinic: 150 patients and 423 notes. */
  scale?: number;
  seed?: number;
  onProgress?: (table: string, rows: number) => void;
  /** Connections generating at once (default 2). */
  parallel?: number;
}

// Parents first: a chunk of children is only generated once every parent row exists.
const LOAD_ORDER: ClinicalTable[][] = [
  ["User", "Patient"],
  ["ClinicalNote"],
  ["Prescription", "LabResult", "AuditLog", "RefreshToken"],
];
// Rows per statement: small enough for steady progress, large enough that planning the long expressions is noise.
const CHUNK_ROWS: Record<ClinicalTable, number> = {
  User: 20_000,
  Patient: 20_000,
  ClinicalNote: 4_000,
  Prescription: 20_000,
  LabResult: 20_000,
  AuditLog: 20_000,
  RefreshToken: 20_000,
};
const SERIAL_TABLES: ClinicalTable[] = ["Patient", "ClinicalNote", "Prescription", "LabResult", "AuditLog"];

export function rowCountsFor(opts: Pick<SampleOptions, "patients" | "scale"> = {}): RowCounts {
  const scale = opts.patients !== undefined ? opts.patients / ROWS_PER_SCALE.Patient : (opts.scale ?? 1);
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new LifeboatError("USAGE", `sample scale must be a positive number, got ${scale}`);
  const counts = {} as RowCounts;
  for (const t of CLINICAL_TABLES) counts[t] = Math.max(1, Math.round(ROWS_PER_SCALE[t] * scale));
  return counts;
}

/** A setseed() argument in [-1, 1) from the seed, table and chunk, so each chunk is the same whichever worker runs it. */
function chunkSeed(seed: number, table: string, chunk: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}:${table}:${chunk}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h / 2 ** 32) * 2 - 1;
}

interface Detached {
  drop: string;
  create: string;
}

interface DetachedSet {
  indexes: string[];
  foreignKeys: string[];
}

// Rows are generated with foreign keys and secondary indexes detached, then put back the way pg_restore does it:
// one sort per index and one validating join per key, instead of per-row index inserts and locked parent lookups.
// Re-adding validates every row, so a bad reference or a duplicate still fails the load.
async function detachConstraints(c: pg.Client): Promise<DetachedSet> {
  const fks = await c.query<Detached>(
    `SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', cl.relname, co.conname) AS drop,
            format('ALTER TABLE %I ADD CONSTRAINT %I %s', cl.relname, co.conname, pg_get_constraintdef(co.oid)) AS create
     FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE co.contype = 'f' AND n.nspname = current_schema() AND cl.relname = ANY($1::text[]) ORDER BY cl.relname, co.conname`,
    [CLINICAL_TABLES],
  );
  const indexes = await c.query<Detached>(
    `SELECT format('DROP INDEX %I.%I', n.nspname, ic.relname) AS drop, pg_get_indexdef(i.indexrelid) AS create
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class cl ON cl.oid = i.indrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE n.nspname = current_schema() AND cl.relname = ANY($1::text[]) AND NOT i.indisprimary
       AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid)
     ORDER BY ic.relname`,
    [CLINICAL_TABLES],
  );
  for (const d of [...fks.rows, ...indexes.rows]) await c.query(d.drop);
  return { indexes: indexes.rows.map((d) => d.create), foreignKeys: fks.rows.map((d) => d.create) };
}

async function reattach(clients: pg.Client[], detached: DetachedSet): Promise<void> {
  // Index builds spread over the connections; foreign keys after them, since their validating joins can use them.
  await Promise.all(
    clients.map(async (c, i) => {
      for (const sql of detached.indexes.filter((_, j) => j % clients.length === i)) await c.query(sql);
    }),
  );
  for (const sql of detached.foreignKeys) await (clients[0] as pg.Client).query(sql);
}

/**
 * Fills the (empty) clinical schema with synthetic but realistic rows, generated inside the server.
 * Returns rows per table. The same seed and scale give the same data.
 */
export async function generateClinicalData(conn: ConnInfo, opts: SampleOptions = {}): Promise<Record<string, number>> {
  const counts = rowCountsFor(opts);
  const seed = Math.trunc(opts.seed ?? 1);
  const parallel = Math.max(1, Math.trunc(opts.parallel ?? 2));
  const clients: pg.Client[] = [];
  try {
    for (let i = 0; i < parallel; i++) {
      const c = await connect(conn);
      clients.push(c);
      // Sample data can afford to lose the last commits in a crash; the durability settings of the cluster stay as they are.
      await c.query("SET synchronous_commit = off");
    }
    const admin = clients[0] as pg.Client;
    const existing = await admin.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM "Patient") + (SELECT count(*) FROM "User") AS n`,
    );
    if (Number(existing.rows[0]?.n) > 0) {
      throw new LifeboatError(
        "TARGET_NOT_EMPTY",
        `the clinical sample tables in ${conn.database} already hold rows`,
        "Generate into a freshly created schema (createClinicalSchema on an empty database).",
      );
    }
    const detached = await detachConstraints(admin);
    for (const group of LOAD_ORDER) {
      const jobs: { table: ClinicalTable; chunk: number; lo: number; hi: number }[] = [];
      for (const table of group) {
        for (let lo = 1, chunk = 0; lo <= counts[table]; lo += CHUNK_ROWS[table], chunk++) {
          jobs.push({ table, chunk, lo, hi: Math.min(counts[table], lo + CHUNK_ROWS[table] - 1) });
        }
      }
      const sql = new Map(group.map((t) => [t, insertSql(t, counts, seed)]));
      const done = new Map<ClinicalTable, number>();
      await Promise.all(
        clients.map(async (c) => {
          for (let job = jobs.shift(); job; job = jobs.shift()) {
            await c.query("SELECT setseed($1)", [chunkSeed(seed, job.table, job.chunk)]);
            await c.query(sql.get(job.table) as string, [job.lo, job.hi]);
            const rows = (done.get(job.table) ?? 0) + (job.hi - job.lo + 1);
            done.set(job.table, rows);
            opts.onProgress?.(job.table, rows);
          }
        }),
      );
    }
    await reattach(clients, detached);
    for (const t of SERIAL_TABLES) {
      await admin.query(
        `SELECT setval(pg_get_serial_sequence(format('%I', $1::text), 'id'), (SELECT max("id") FROM ${`"${t}"`}))`,
        [t],
      );
    }
    await Promise.all(
      clients.map((c, i) =>
        c.query(
          `ANALYZE ${
            CLINICAL_TABLES.filter((_, j) => j % clients.length === i)
              .map((t) => `"${t}"`)
              .join(", ") || `"User"`
          }`,
        ),
      ),
    );
    return { ...counts };
  } catch (err) {
    throw toLifeboatError(err, conn, "generate clinical sample data");
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}
