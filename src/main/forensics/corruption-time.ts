// Scenario 1, step 1: when did the damage start? Bursts of DELETE/UPDATE in the audit log, per table and time bucket,
// ranked against each table's usual rate; the suggestion is the last good second before the worst burst.
import { LifeboatError } from "../../shared/errors.ts";
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { burstOnset, rankBursts, suggestion, type BucketCount, type Burst } from "./burst-ranking.ts";
import type { ForensicsContext } from "./forensics-context.ts";
import { closeSide, openSide, query, sideError, type Side } from "./side.ts";
import { quoteIdent, requireTable, tableColumns, type ColumnInfo } from "./table-info.ts";

export interface AuditColumns {
  action: string;
  tableName: string;
  recordId: string;
  timestamp: string;
}

export interface AuditOptions {
  /** Default "AuditLog". */
  auditTable?: string;
  /** Default ["DELETE", "UPDATE"]; compared with the action column's text. */
  actions?: string[];
  /** Default 60. */
  bucketSeconds?: number;
  /** Default: 7 days before the newest matching event. */
  since?: Date;
  until?: Date;
  /** Column names; default action, tableName, recordId, timestamp. */
  columns?: Partial<AuditColumns>;
  /** The zone a timestamp-without-time-zone column's values are in (Prisma writes UTC). Default "UTC". */
  timestampZone?: string;
  minEvents?: number;
  minScore?: number;
  /** Bursts listed (default 10). */
  top?: number;
}

export interface AuditResult {
  auditTable: string;
  columns: AuditColumns;
  window: { since: string; until: string; bucketSeconds: number; buckets: number };
  /** Matching events in the window. */
  events: number;
  bursts: Burst[];
  /** Tables of the bursts that make up the incident. */
  incidentTables: string[];
  firstBadAt?: string;
  suggestedRecoveryPoint?: string;
  reasoning: string[];
}

const DEFAULT_COLUMNS: AuditColumns = {
  action: "action",
  tableName: "tableName",
  recordId: "recordId",
  timestamp: "timestamp",
};
const DAY_MS = 86_400_000;

function requireColumn(cols: ColumnInfo[], name: string, role: string, table: string): ColumnInfo {
  const c = cols.find((x) => x.name === name);
  if (!c) {
    throw new LifeboatError(
      "USAGE",
      `the audit table ${table} has no column "${name}" (expected to hold the ${role})`,
      `Name the audit table's columns: --action-column, --table-column, --record-column, --timestamp-column. Its columns are: ${cols.map((x) => x.name).join(", ")}.`,
      { table, column: name },
    );
  }
  return c;
}

/** SQL for the event time as timestamptz, and for comparing the raw column with a timestamptz parameter (index-friendly). */
function timeSql(
  col: ColumnInfo,
  zoneParam: string,
): { instant: string; atLeast: (p: string) => string; below: (p: string) => string } {
  const c = `a.${quoteIdent(col.name)}`;
  if (col.type.startsWith("timestamp") && col.type.endsWith("without time zone")) {
    return {
      instant: `(${c} AT TIME ZONE ${zoneParam})`,
      atLeast: (p) => `${c} >= (${p}::timestamptz AT TIME ZONE ${zoneParam})`,
      below: (p) => `${c} < (${p}::timestamptz AT TIME ZONE ${zoneParam})`,
    };
  }
  if (col.type.startsWith("timestamp"))
    return { instant: c, atLeast: (p) => `${c} >= ${p}::timestamptz`, below: (p) => `${c} < ${p}::timestamptz` };
  const instant = `(${c})::timestamptz`;
  return { instant, atLeast: (p) => `${instant} >= ${p}::timestamptz`, below: (p) => `${instant} < ${p}::timestamptz` };
}

async function runAudit(side: Side, opts: AuditOptions): Promise<AuditResult> {
  const auditName = opts.auditTable ?? "AuditLog";
  const names: AuditColumns = { ...DEFAULT_COLUMNS, ...opts.columns };
  const actions = (opts.actions ?? ["DELETE", "UPDATE"]).map((a) => a.toUpperCase());
  const bucketSeconds = opts.bucketSeconds ?? 60;
  if (!Number.isInteger(bucketSeconds) || bucketSeconds < 1)
    throw new LifeboatError("USAGE", `the bucket must be a whole number of seconds, got ${bucketSeconds}`);
  const table = await requireTable(side.client, auditName, side.name);
  const cols = await tableColumns(side.client, table);
  const action = requireColumn(cols, names.action, "action (DELETE/UPDATE)", table.qualified);
  const tableName = requireColumn(cols, names.tableName, "name of the changed table", table.qualified);
  const recordId = requireColumn(cols, names.recordId, "changed record's id", table.qualified);
  const ts = requireColumn(cols, names.timestamp, "event time", table.qualified);
  const time = timeSql(ts, "$2::text");
  // "$2::text IS NOT NULL" keeps $2 (the zone) typed even when the time column does not need it.
  const actionMatch = `upper(a.${quoteIdent(action.name)}::text) = ANY($1::text[]) AND $2::text IS NOT NULL`;
  const zone = opts.timestampZone ?? "UTC";

  let untilMs = opts.until?.getTime();
  let sinceMs = opts.since?.getTime();
  if (sinceMs === undefined) {
    const upper = untilMs !== undefined ? ` AND ${time.below("$3")}` : "";
    const r = await query<{ ms: number | null }>(
      side,
      `SELECT (extract(epoch FROM max(${time.instant})) * 1000)::float8 AS ms FROM ${table.qualified} a WHERE ${actionMatch}${upper}`,
      untilMs !== undefined ? [actions, zone, new Date(untilMs).toISOString()] : [actions, zone],
    );
    const newest = r.rows[0]?.ms ?? null;
    sinceMs = (newest ?? untilMs ?? Date.now()) - 7 * DAY_MS;
  }
  const newestParam = untilMs !== undefined ? new Date(untilMs).toISOString() : "infinity";
  const counts = await query<{
    tbl: string;
    bucket: string;
    action: string;
    n: number;
    first_ms: number;
    last_ms: number;
    sample: string[];
  }>(
    side,
    `SELECT a.${quoteIdent(tableName.name)}::text AS tbl,
            floor(extract(epoch FROM ${time.instant}) / $5)::bigint::text AS bucket,
            upper(a.${quoteIdent(action.name)}::text) AS action,
            count(*)::int AS n,
            (extract(epoch FROM min(${time.instant})) * 1000)::float8 AS first_ms,
            (extract(epoch FROM max(${time.instant})) * 1000)::float8 AS last_ms,
            (array_agg(a.${quoteIdent(recordId.name)}::text ORDER BY ${time.instant}))[1:5] AS sample
     FROM ${table.qualified} a
     WHERE ${actionMatch} AND ${time.atLeast("$3")} AND ${time.below("$4")}
     GROUP BY 1, 2, 3`,
    [actions, zone, new Date(sinceMs).toISOString(), newestParam, bucketSeconds],
  );
  const rows: BucketCount[] = counts.rows.map((r) => ({
    table: r.tbl,
    bucket: Number(r.bucket),
    action: r.action,
    count: r.n,
    firstMs: r.first_ms,
    lastMs: r.last_ms,
    sampleRecordIds: r.sample ?? [],
  }));
  const events = rows.reduce((a, r) => a + r.count, 0);
  untilMs ??= rows.length ? Math.max(...rows.map((r) => r.lastMs)) + 1 : sinceMs;
  const windowBuckets = Math.max(1, Math.ceil((untilMs - sinceMs) / (bucketSeconds * 1000)));
  const ranking = rankBursts(rows, {
    bucketSeconds,
    windowBuckets,
    ...(opts.minEvents !== undefined ? { minEvents: opts.minEvents } : {}),
    ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}),
  });
  const reasoning = [
    `Read ${events} ${actions.join("/")} events from ${table.qualified} between ${new Date(sinceMs).toISOString()} and ${new Date(untilMs).toISOString()} in ${bucketSeconds}-second buckets.`,
    ...ranking.reasoning,
  ];
  // Bucket counts date a burst from its bucket's first event, which may be a routine one; the event times say where
  // the burst itself begins.
  for (const burst of ranking.incident) {
    const from = Date.parse(burst.bucketStart);
    const times = await query<{ ms: number }>(
      side,
      `SELECT (extract(epoch FROM ${time.instant}) * 1000)::float8 AS ms FROM ${table.qualified} a
       WHERE ${actionMatch} AND a.${quoteIdent(tableName.name)}::text = $3 AND ${time.atLeast("$4")} AND ${time.below("$5")}
       ORDER BY 1 LIMIT 100000`,
      [actions, zone, burst.table, new Date(from).toISOString(), new Date(from + bucketSeconds * 1000).toISOString()],
    );
    const onset = burstOnset(
      times.rows.map((r) => r.ms),
      burst.baselinePerBucket,
      bucketSeconds,
    );
    if (onset !== undefined && onset > Date.parse(burst.first)) {
      reasoning.push(
        `The ${burst.table} burst begins at ${new Date(onset).toISOString()}: the events before it in its first bucket are routine ones, spaced like the usual rate.`,
      );
      burst.first = new Date(onset).toISOString();
    }
  }
  const suggested = ranking.incident.length ? suggestion(ranking.incident, reasoning) : { reasoning };
  return {
    auditTable: `${table.schema}.${table.name}`,
    columns: names,
    window: {
      since: new Date(sinceMs).toISOString(),
      until: new Date(untilMs).toISOString(),
      bucketSeconds,
      buckets: windowBuckets,
    },
    events,
    bursts: ranking.bursts.slice(0, opts.top ?? 10),
    incidentTables: [...new Set(ranking.incident.map((b) => b.table))],
    ...suggested,
  };
}

/**
 * Reads the audit table for bursts of DELETE/UPDATE per table and time bucket and suggests the recovery point: the
 * last good second before the worst burst (and any burst on another table overlapping it). Read-only.
 */
export async function findCorruptionTime(
  conn: ConnInfo,
  opts: AuditOptions,
  ctx: ForensicsContext,
): Promise<AuditResult> {
  const auditTable = opts.auditTable ?? "AuditLog";
  return ctx.journal.step(
    {
      kind: "forensics.audit",
      summary: `Search ${auditTable} on ${describeConn(conn)} for bursts of ${(opts.actions ?? ["DELETE", "UPDATE"]).join("/")}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: {
        database: describeConn(conn),
        auditTable,
        bucketSeconds: opts.bucketSeconds ?? 60,
        ...(opts.since ? { since: opts.since.toISOString() } : {}),
        ...(opts.until ? { until: opts.until.toISOString() } : {}),
      },
    },
    async () => {
      const side = await openSide("production", conn, "snapshot");
      try {
        return await runAudit(side, opts);
      } catch (err) {
        throw err instanceof LifeboatError ? err : sideError(side, err, `read ${auditTable}`);
      } finally {
        await closeSide(side);
      }
    },
    (r) => ({
      events: r.events,
      bursts: r.bursts.length,
      firstBadAt: r.firstBadAt,
      suggestedRecoveryPoint: r.suggestedRecoveryPoint,
      incidentTables: r.incidentTables,
    }),
  );
}
