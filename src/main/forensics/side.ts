// One connection to one side of a comparison (the recovery branch or production), set up so both sides print values
// the same way: row text and key text then depend on the data only, not on the session's TimeZone or DateStyle.
import type pg from "pg";
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { connect } from "../postgres/connect.ts";
import { toLifeboatError } from "../postgres/pg-errors.ts";
import type { LifeboatError } from "../../shared/errors.ts";

export type SideName = "branch" | "production" | "before state" | "damaged state";

export interface Side {
  name: SideName;
  conn: ConnInfo;
  client: pg.Client;
}

const SAME_TEXT_EVERYWHERE =
  "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'";

/**
 * Opens a side. "snapshot" starts a REPEATABLE READ READ ONLY transaction, so every page read sees one consistent
 * state and nothing can be written; "write" leaves transaction control to the caller.
 */
export async function openSide(name: SideName, conn: ConnInfo, mode: "snapshot" | "write"): Promise<Side> {
  const client = await connect(conn);
  try {
    await client.query(SAME_TEXT_EVERYWHERE);
    await client.query(`SET application_name = 'lifeboat-forensics'`);
    if (mode === "snapshot") await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  } catch (err) {
    await client.end().catch(() => {});
    throw toLifeboatError(err, conn, `prepare the ${name} connection`);
  }
  return { name, conn, client };
}

export async function closeSide(side: Side | undefined): Promise<void> {
  if (!side) return;
  // Ending the connection rolls back whatever is still open; a snapshot transaction has nothing to keep.
  await side.client.end().catch(() => {});
}

/**
 * Every statement that carries operator-supplied SQL (a --where filter) goes through the extended protocol, which
 * runs exactly one statement: a filter cannot close the read-only transaction and append its own commands.
 */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  side: Side,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await side.client.query<R>({ text, values, queryMode: "extended" } as pg.QueryConfig);
  } catch (err) {
    throw sideError(side, err, "read");
  }
}

export async function queryArrays(side: Side, text: string, values: unknown[] = []): Promise<unknown[][]> {
  try {
    const r = await side.client.query({ text, values, rowMode: "array", queryMode: "extended" } as pg.QueryArrayConfig);
    return r.rows as unknown[][];
  } catch (err) {
    throw sideError(side, err, "read");
  }
}

export function sideLabel(side: Side): string {
  return `${side.name} (${describeConn(side.conn)})`;
}

/** Maps a driver/server error to a LifeboatError that names the side and what was being done. */
export function sideError(side: Pick<Side, "name" | "conn">, err: unknown, doing: string): LifeboatError {
  return toLifeboatError(err, side.conn, `${doing} on the ${side.name}`);
}
