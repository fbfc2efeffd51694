// Large objects (lo_create, lo_import: PDFs and scans stored outside any table) are part of a full pg_dump, but no
// table's row count says whether they arrived. A backup records their number and a digest, taken in the dump's own
// snapshot; verify recomputes both from the archive, and a restore from the restored database.
//
// The digest: sha256 over one line per large object, in ascending oid order, "<oid>:<md5 of its bytes>\n". md5 per
// object because the server computes it (md5(lo_get(oid))) without sending the bytes; sha256 over the list.
import { createHash } from "node:crypto";
import type pg from "pg";

export interface LargeObjectSummary {
  count: number;
  sha256: string;
}

const PAGE = 500;
const CHUNK = 1024 * 1024;

/** The digest of (oid, md5) pairs, in any order. */
export function largeObjectsDigest(pairs: Iterable<[number, string]>): LargeObjectSummary {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0]);
  const h = createHash("sha256");
  for (const [oid, md5] of sorted) h.update(`${oid}:${md5}\n`);
  return { count: sorted.length, sha256: h.digest("hex") };
}

/** An object too large for one lo_get (1 GB): read in chunks and hashed here. */
async function md5InChunks(client: pg.Client, oid: number): Promise<string> {
  const h = createHash("md5");
  for (let offset = 0; ; offset += CHUNK) {
    const r = await client.query<{ b: Buffer }>("SELECT pg_catalog.lo_get($1::oid, $2::bigint, $3) AS b", [
      oid,
      offset,
      CHUNK,
    ]);
    const b = r.rows[0]?.b ?? Buffer.alloc(0);
    h.update(b);
    if (b.length < CHUNK) return h.digest("hex");
  }
}

/**
 * Count and digest of every large object visible in `client`'s transaction (run it inside the snapshot being dumped,
 * or in the restored database). Savepoints keep one object too large for lo_get from failing the transaction.
 */
export async function summarizeLargeObjects(client: pg.Client): Promise<LargeObjectSummary> {
  const pairs: [number, string][] = [];
  let after = 0;
  for (;;) {
    let rows: { oid: string; md5: string }[];
    await client.query("SAVEPOINT lifeboat_lo");
    try {
      rows = (
        await client.query<{ oid: string; md5: string }>(
          `SELECT oid::text AS oid, md5(pg_catalog.lo_get(oid)) AS md5 FROM pg_catalog.pg_largeobject_metadata
           WHERE oid > $1::oid ORDER BY oid LIMIT ${PAGE}`,
          [after],
        )
      ).rows;
      await client.query("RELEASE SAVEPOINT lifeboat_lo");
    } catch {
      await client.query("ROLLBACK TO SAVEPOINT lifeboat_lo");
      const oids = (
        await client.query<{ oid: string }>(
          `SELECT oid::text AS oid FROM pg_catalog.pg_largeobject_metadata WHERE oid > $1::oid ORDER BY oid LIMIT ${PAGE}`,
          [after],
        )
      ).rows;
      rows = [];
      for (const { oid } of oids) rows.push({ oid, md5: await md5InChunks(client, Number(oid)) });
    }
    for (const r of rows) pairs.push([Number(r.oid), r.md5]);
    if (rows.length < PAGE) break;
    after = Number(rows[rows.length - 1]!.oid);
  }
  return largeObjectsDigest(pairs);
}

/**
 * Rows of `tables` whose oid (or `lo`) columns name a large object that does not exist here: what a --table restore
 * leaves when its rows point at large objects, which pg_restore --table does not bring.
 */
export async function danglingLargeObjectRefs(
  client: pg.Client,
  tables: { schema: string; table: string }[],
): Promise<{ column: string; rows: number }[]> {
  if (!tables.length) return [];
  const cols = await client.query<{ schema: string; table: string; column: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, a.attname AS column
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
     WHERE a.attnum > 0 AND NOT a.attisdropped AND (t.oid = 'pg_catalog.oid'::regtype OR t.typbasetype = 'pg_catalog.oid'::regtype)
       AND (n.nspname, c.relname) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [tables.map((t) => t.schema), tables.map((t) => t.table)],
  );
  const out: { column: string; rows: number }[] = [];
  for (const c of cols.rows) {
    const q = `${client.escapeIdentifier(c.schema)}.${client.escapeIdentifier(c.table)}`;
    const col = client.escapeIdentifier(c.column);
    const r = await client.query<{ n: string }>(
      `SELECT count(*)::bigint AS n FROM ${q} t WHERE t.${col} IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_largeobject_metadata m WHERE m.oid = t.${col})`,
    );
    const rows = Number(r.rows[0]?.n ?? 0);
    if (rows) out.push({ column: `${c.schema}.${c.table}.${c.column}`, rows });
  }
  return out;
}
