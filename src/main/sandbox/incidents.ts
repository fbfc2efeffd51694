import { LifeboatError } from "../../shared/errors.ts";
import { withClient } from "../postgres/connect.ts";
import type { ConnInfo } from "../postgres/conn-info.ts";
import { stageAppError } from "./app-error-incident.ts";
import { dbLoss, serverFailure } from "./outage-incidents.ts";
import { stageRansomware } from "./ransomware-incident.ts";
import { stageRegionOutage } from "./region-outage-incident.ts";
import { stageRepairIncident } from "./repair-incidents.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { IncidentKind, IncidentRecord } from "./sandbox-state.ts";

export const INCIDENT_KINDS: IncidentKind[] = [
  "bulk-delete",
  "drop-column",
  "db-loss",
  "bad-update",
  "mixed",
  "server-failure",
  "app-error",
  "ransomware",
  "region-outage",
];

export interface IncidentOptions {
  /** When to stage it (a moment from now on); default: at once. */
  at?: Date;
  /** bulk-delete: how many of the newest clinical notes go (default: a tenth of them); mixed: notes deleted (57); bad-update: patients wiped (31). */
  rows?: number;
  /** drop-column: the "ClinicalNote" column the bad migration drops (default "vitals"). */
  column?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Microseconds, UTC, as the recovery point needs them.
const NOW_SQL = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function wholeSecond(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/**
 * The incident starts just after a whole second, so that second is a recovery point that holds every earlier commit
 * and none of the incident's: the "last good second" of the runbooks.
 */
async function waitForSecondBoundary(): Promise<void> {
  await sleep(1000 - (Date.now() % 1000) + 20);
}

function liveConn(p: SandboxProject): ConnInfo {
  const conn = p.roleConn(p.defaultBranch());
  if (!conn)
    throw new LifeboatError(
      "USAGE",
      "the default branch's compute is down",
      "Restore the default branch first (restoreProjectBranch), then stage the incident.",
    );
  return conn;
}

async function bulkDelete(p: SandboxProject, rows: number | undefined): Promise<Staged> {
  const conn = liveConn(p);
  return withClient(conn, async (c) => {
    const total = Number(((await c.query(`SELECT count(*) AS n FROM "ClinicalNote"`)).rows[0] as { n: string }).n);
    const n = Math.min(total, Math.max(1, Math.trunc(rows ?? Math.round(total / 10))));
    await c.query("BEGIN");
    try {
      const startedAt = ((await c.query(`SELECT ${NOW_SQL} AS t`)).rows[0] as { t: string }).t;
      // What the app does for a "clean up drafts" bug: one DELETE, and an audit row per deleted record.
      const r = await c.query(
        `WITH victims AS (SELECT "id" FROM "ClinicalNote" ORDER BY "createdAt" DESC, "id" DESC LIMIT $1),
              gone AS (DELETE FROM "ClinicalNote" n USING victims v WHERE n."id" = v."id" RETURNING n."id"),
              actor AS (SELECT "id" FROM "User" ORDER BY ("role" = 'ADMIN') DESC, "id" LIMIT 1)
         INSERT INTO "AuditLog" ("userId", "action", "tableName", "recordId", "timestamp", "ipAddress", "details")
         SELECT (SELECT "id" FROM actor), 'DELETE', 'ClinicalNote', gone."id"::text, clock_timestamp() AT TIME ZONE 'UTC', '10.0.4.17',
                jsonb_build_object('method', 'DELETE', 'path', '/api/v2/clinicalnotes/' || gone."id", 'reason', 'bulk cleanup of draft notes', 'userAgent', 'DrAmalClinical/4.2.0')
         FROM gone RETURNING "recordId"`,
        [n],
      );
      await c.query("COMMIT");
      const finishedAt = ((await c.query(`SELECT ${NOW_SQL} AS t`)).rows[0] as { t: string }).t;
      const ids = r.rows.map((x: { recordId: string }) => Number(x.recordId)).sort((a, b) => a - b);
      return {
        startedAt,
        finishedAt,
        summary: `deleted ${ids.length} of ${total} "ClinicalNote" rows, with ${ids.length} "AuditLog" DELETE rows`,
        details: { table: "ClinicalNote", rowsBefore: total, rowsAfter: total - ids.length, deletedIds: ids },
      };
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    }
  });
}

async function dropColumn(p: SandboxProject, column: string): Promise<Staged> {
  const conn = liveConn(p);
  return withClient(conn, async (c) => {
    const col = (
      await c.query(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = '"ClinicalNote"'::regclass AND attname = $1 AND NOT attisdropped AND attnum > 0`,
        [column],
      )
    ).rows[0] as { type: string } | undefined;
    if (!col)
      throw new LifeboatError(
        "USAGE",
        `"ClinicalNote" has no column "${column}"`,
        'Name an existing column of "ClinicalNote".',
      );
    const q = c.escapeIdentifier(column);
    const withValues = Number(
      ((await c.query(`SELECT count(*) AS n FROM "ClinicalNote" WHERE ${q} IS NOT NULL`)).rows[0] as { n: string }).n,
    );
    const startedAt = ((await c.query(`SELECT ${NOW_SQL} AS t`)).rows[0] as { t: string }).t;
    // A destructive Prisma migration: the column goes, its values with it.
    await c.query(`ALTER TABLE "ClinicalNote" DROP COLUMN ${q}`);
    const finishedAt = ((await c.query(`SELECT ${NOW_SQL} AS t`)).rows[0] as { t: string }).t;
    return {
      startedAt,
      finishedAt,
      summary: `dropped column "ClinicalNote"."${column}" (${col.type}), which held values in ${withValues} rows`,
      details: { table: "ClinicalNote", column, type: col.type, rowsWithValues: withValues },
    };
  });
}

type Staged = Omit<IncidentRecord, "kind" | "branchId" | "lastGoodSecond">;

function stage(p: SandboxProject, kind: IncidentKind, opts: IncidentOptions): Promise<Staged> {
  switch (kind) {
    case "bulk-delete":
      return bulkDelete(p, opts.rows);
    case "drop-column":
      return dropColumn(p, opts.column ?? "vitals");
    case "db-loss":
      return dbLoss(p);
    case "server-failure":
      return serverFailure(p, liveConn(p));
    case "app-error":
      return stageAppError(liveConn(p));
    case "ransomware":
      return stageRansomware(liveConn(p));
    case "region-outage":
      return stageRegionOutage(p);
    case "bad-update":
    case "mixed":
      return stageRepairIncident(liveConn(p), kind, opts.rows !== undefined ? { rows: opts.rows } : {});
  }
}

/** Stages one of the seed's incidents on the default branch and records when the data was last good. */
export async function stageIncident(
  p: SandboxProject,
  kind: IncidentKind,
  opts: IncidentOptions = {},
): Promise<IncidentRecord> {
  if (!INCIDENT_KINDS.includes(kind))
    throw new LifeboatError("USAGE", `unknown incident "${kind}"`, `Choose one of: ${INCIDENT_KINDS.join(", ")}.`);
  if (opts.at && opts.at.getTime() < Date.now() - 1000) {
    throw new LifeboatError(
      "USAGE",
      `the incident time ${opts.at.toISOString()} is in the past`,
      "Commits cannot be back-dated in the WAL; pick a moment from now on.",
    );
  }
  // Waiting for `at` happens outside the lock, so the API keeps working meanwhile.
  if (opts.at) await sleep(Math.max(0, opts.at.getTime() - Date.now()));
  return p.mutex.run(async () => {
    await waitForSecondBoundary();
    const branchId = p.defaultBranch().id;
    const r = await stage(p, kind, opts);
    const record: IncidentRecord = { kind, branchId, lastGoodSecond: wholeSecond(r.startedAt), ...r };
    p.state.incidents.push(record);
    await p.save();
    return record;
  });
}
