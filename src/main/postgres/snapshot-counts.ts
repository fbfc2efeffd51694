import type pg from "pg";
import type { TableCount } from "../../shared/manifest.ts";
import type { ConnInfo } from "./conn-info.ts";
import { connect } from "./connect.ts";
import { toLifeboatError } from "./pg-errors.ts";
import { countTables, listUserTables, type UserTable } from "./user-tables.ts";

export type { TableCount } from "../../shared/manifest.ts";
export { isDatabaseEmpty } from "./database-empty.ts";
export { tableChecksums } from "./table-checksums.ts";

export interface ExportedSnapshot {
  snapshotId: string;
  counts: TableCount[];
  databaseBytes: number;
  /** Ends the transaction that keeps the snapshot alive; call it once pg_dump --snapshot has started (or finished). */
  release(): Promise<void>;
}

function toCounts(tables: UserTable[], counts: Map<string, number>): TableCount[] {
  return tables.map((t) => ({ schema: t.schema, table: t.table, rows: counts.get(t.qualified) ?? 0 }));
}

async function beginSnapshot(client: pg.Client): Promise<void> {
  // A long pg_dump keeps this transaction idle for its whole run; server-side idle limits must not kill it.
  await client.query("SET idle_in_transaction_session_timeout = 0");
  await client.query("SET statement_timeout = 0");
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
}

export interface OpenSnapshot {
  snapshotId: string;
  tables: number;
  databaseBytes: number;
  /** Exact counts of every user table inside the exported snapshot; may run while pg_dump reads the same snapshot. */
  count(): Promise<TableCount[]>;
  release(): Promise<void>;
}

/**
 * Exports a snapshot and returns at once, so pg_dump can start on it while this session counts every table inside the
 * same snapshot: the counts are exactly the rows `pg_dump --snapshot=<id>` writes, and counting overlaps the dump.
 */
export async function exportSnapshot(conn: ConnInfo): Promise<OpenSnapshot> {
  const client = await connect(conn);
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    await client.query("COMMIT").catch(() => {});
    await client.end().catch(() => {});
  };
  try {
    await beginSnapshot(client);
    const snap = await client.query<{ id: string }>("SELECT pg_catalog.pg_export_snapshot() AS id");
    const snapshotId = snap.rows[0]?.id;
    if (!snapshotId) throw new Error("pg_export_snapshot() returned nothing");
    const tables = await listUserTables(client);
    const size = await client.query<{ b: string }>(
      "SELECT pg_catalog.pg_database_size(current_database())::bigint AS b",
    );
    const count = async (): Promise<TableCount[]> => {
      try {
        return toCounts(tables, await countTables(client, tables));
      } catch (err) {
        throw toLifeboatError(err, conn, "count rows in the backup's snapshot");
      }
    };
    return { snapshotId, tables: tables.length, databaseBytes: Number(size.rows[0]?.b ?? 0), count, release };
  } catch (err) {
    await release();
    throw toLifeboatError(err, conn, "export a snapshot");
  }
}

/**
 * Exports a snapshot and counts every user table inside it, so the counts are exactly the rows that
 * `pg_dump --snapshot=<id>` will write. The transaction stays open until release().
 */
export async function exportSnapshotWithCounts(conn: ConnInfo): Promise<ExportedSnapshot> {
  const snap = await exportSnapshot(conn);
  try {
    return {
      snapshotId: snap.snapshotId,
      counts: await snap.count(),
      databaseBytes: snap.databaseBytes,
      release: snap.release,
    };
  } catch (err) {
    await snap.release();
    throw err;
  }
}

/** The same table list with exact counts, for checking a restored database against the manifest. */
export async function countRows(conn: ConnInfo): Promise<TableCount[]> {
  const client = await connect(conn);
  try {
    await beginSnapshot(client);
    const tables = await listUserTables(client);
    const counts = await countTables(client, tables);
    await client.query("COMMIT");
    return toCounts(tables, counts);
  } catch (err) {
    throw toLifeboatError(err, conn, "count rows");
  } finally {
    await client.end().catch(() => {});
  }
}
