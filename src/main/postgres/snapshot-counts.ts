import type pg from "pg";
import type { TableCount } from "../../shared/manifest.ts";
import type { ConnInfo } from "./conn-info.ts";
import { connect, destroyClient, endClient } from "./connect.ts";
import { toLifeboatError } from "./pg-errors.ts";
import { countTables, listUserTables, type UserTable } from "./user-tables.ts";
import { danglingLargeObjectRefs, summarizeLargeObjects, type LargeObjectSummary } from "./large-objects.ts";

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
  /** Number and digest of the large objects in the snapshot (after count(), in the same session). */
  largeObjects(): Promise<LargeObjectSummary>;
  /**
   * Ends the session holding the snapshot, within seconds even when the server is frozen (the read-only transaction
   * has nothing to commit: ending the session ends it). A count still running fails.
   */
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
    await endClient(client, 2000);
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
    const largeObjects = async (): Promise<LargeObjectSummary> => {
      try {
        return await summarizeLargeObjects(client);
      } catch (err) {
        throw toLifeboatError(err, conn, "digest the large objects in the backup's snapshot");
      }
    };
    return {
      snapshotId,
      tables: tables.length,
      databaseBytes: Number(size.rows[0]?.b ?? 0),
      count,
      largeObjects,
      release,
    };
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

/**
 * The same table list with exact counts, for checking a restored database against the manifest. Aborting `signal`
 * drops the connection, which fails the count at once (a frozen server, a cancel).
 */
export async function countRows(conn: ConnInfo, signal?: AbortSignal): Promise<TableCount[]> {
  return (await countRestored(conn, { signal })).tables;
}

/**
 * Counts (and with largeObjects, the large objects' summary; with danglingIn, rows of those tables pointing at large
 * objects that are not there) in one snapshot of a restored database.
 */
export async function countRestored(
  conn: ConnInfo,
  opts: { signal?: AbortSignal; largeObjects?: boolean; danglingIn?: { schema: string; table: string }[] },
): Promise<{
  tables: TableCount[];
  largeObjects?: LargeObjectSummary;
  dangling?: { column: string; rows: number }[];
}> {
  const { signal } = opts;
  const client = await connect(conn);
  const onAbort = (): void => destroyClient(client);
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await beginSnapshot(client);
    const tables = await listUserTables(client);
    const counts = await countTables(client, tables);
    const largeObjects = opts.largeObjects ? await summarizeLargeObjects(client) : undefined;
    const dangling = opts.danglingIn ? await danglingLargeObjectRefs(client, opts.danglingIn) : undefined;
    await client.query("COMMIT");
    return {
      tables: toCounts(tables, counts),
      ...(largeObjects ? { largeObjects } : {}),
      ...(dangling ? { dangling } : {}),
    };
  } catch (err) {
    throw toLifeboatError(err, conn, "count rows");
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await endClient(client, 2000);
  }
}
