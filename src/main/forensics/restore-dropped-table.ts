// Scenario 3's repair for a dropped table: re-create it from the branch's definition and copy every row back, in one
// production transaction. Foreign keys (its own and those that pointed at it) are re-added where they still fit.
import { LifeboatError } from "../../shared/errors.ts";
import { describeConn, type ConnInfo } from "../postgres/conn-info.ts";
import { advanceSequences, type SequenceAdvance } from "./advance-sequences.ts";
import { requireProductionConfirmation } from "./confirm-production.ts";
import { cursorPages } from "./cursor-pages.ts";
import type { ForensicsContext } from "./forensics-context.ts";
import { insertableColumns, insertRowsJson } from "./row-transfer.ts";
import { closeSide, openSide, query, sideError, type Side } from "./side.ts";
import { findTable, requireTable, tableColumns } from "./table-info.ts";
import { tableDdl, type TableDdl } from "./table-ddl.ts";

export interface RestoreTableOptions {
  dryRun?: boolean;
  confirm?: string;
  /** Rows per INSERT (default 1,000). */
  batchRows?: number;
}

export interface RestoreTableResult {
  table: string;
  dryRun: boolean;
  /** Rows copied (dry run: on the branch, to be copied). */
  rows: number;
  branchRows: number;
  /** Every statement run (dry run: that would run), in order. */
  statements: string[];
  /** Statements that could not be applied (a foreign key whose other table is gone, say); the rest was kept. */
  skipped: { sql: string; error: string }[];
  sequences: SequenceAdvance[];
  notRestored: string[];
  durationMs: number;
}

function ddlStatements(ddl: TableDdl): { required: string[]; optional: string[] } {
  return {
    required: [
      ...ddl.sequences.map((s) => s.sql),
      ddl.createTable,
      ...ddl.sequences.map((s) => s.ownedBy),
      ...(ddl.primaryKey ? [ddl.primaryKey.sql] : []),
    ],
    optional: [
      ...ddl.constraints.map((c) => c.sql),
      ...ddl.indexes.map((i) => i.sql),
      ...ddl.foreignKeys.map((f) => f.sql),
    ],
  };
}

/** Runs one statement inside a savepoint: a failure is recorded and undone, the transaction goes on. */
async function tryStatement(p: Side, sql: string): Promise<string | null> {
  await query(p, "SAVEPOINT lifeboat_optional");
  try {
    await p.client.query(sql);
    await query(p, "RELEASE SAVEPOINT lifeboat_optional");
    return null;
  } catch (err) {
    await query(p, "ROLLBACK TO SAVEPOINT lifeboat_optional");
    return err instanceof Error ? err.message : String(err);
  }
}

async function run(
  branch: ConnInfo,
  production: ConnInfo,
  table: string,
  opts: RestoreTableOptions,
): Promise<RestoreTableResult> {
  const t0 = performance.now();
  const dryRun = !!opts.dryRun;
  if (!dryRun) requireProductionConfirmation(production, opts.confirm, `restoring table ${table}`);
  let b: Side | undefined;
  let p: Side | undefined;
  try {
    b = await openSide("branch", branch, "snapshot");
    p = await openSide("production", production, dryRun ? "snapshot" : "write");
    const bt = await requireTable(b.client, table, "branch");
    if (bt.relkind !== "r")
      throw new LifeboatError(
        "SCHEMA_MISMATCH",
        `${bt.qualified} is a partitioned table; Lifeboat restores plain tables only`,
        "Re-create the partitioned table and its partitions with your migration, then copy rows per partition with `lifeboat forensics copy`.",
      );
    if (await findTable(p.client, `${bt.schema}.${bt.name}`)) {
      throw new LifeboatError(
        "SCHEMA_MISMATCH",
        `table ${bt.qualified} still exists in production; nothing was changed`,
        "Only a table production no longer has can be restored. To bring back its missing rows, use `lifeboat forensics copy`.",
        { table: bt.qualified },
      );
    }
    const ddl = await tableDdl(b, bt);
    const { required, optional } = ddlStatements(ddl);
    const branchRows = Number(
      (await query<{ n: string }>(b, `SELECT count(*)::bigint AS n FROM ${bt.qualified}`)).rows[0]!.n,
    );
    const name = `${bt.schema}.${bt.name}`;
    if (dryRun) {
      return {
        table: name,
        dryRun,
        rows: branchRows,
        branchRows,
        statements: [...required, `-- copy ${branchRows} rows`, ...optional],
        skipped: [],
        sequences: [],
        notRestored: ddl.notRestored,
        durationMs: performance.now() - t0,
      };
    }
    await query(p, "BEGIN");
    // Adding a foreign key locks the other table briefly; do not queue behind a long transaction holding it.
    await query(p, "SET LOCAL lock_timeout = '10s'");
    for (const sql of required) {
      try {
        await p.client.query(sql);
      } catch (err) {
        throw new LifeboatError(
          "RESTORE_FAILED",
          `re-creating ${bt.qualified} failed and was rolled back: ${err instanceof Error ? err.message : String(err)}`,
          "The statement is in the error details. A missing type or schema must be re-created first; nothing was changed.",
          { sql },
        );
      }
    }
    const pt = await requireTable(p.client, name, "production");
    const columns = insertableColumns(
      await tableColumns(p.client, pt),
      (await tableColumns(b.client, bt)).map((c) => c.name),
    );
    const batch = opts.batchRows ?? 1000;
    let rows = 0;
    for await (const page of cursorPages(b, `SELECT to_jsonb(t)::text FROM ${bt.qualified} t`, [], batch)) {
      rows += await insertRowsJson(p, pt, columns, `[${page.map((r) => r[0]).join(",")}]`).catch((err: unknown) => {
        throw sideError(p!, err, `copy rows into ${bt.qualified}`);
      });
    }
    const statements = [...required, `-- copied ${rows} rows`];
    const skipped: { sql: string; error: string }[] = [];
    for (const sql of optional) {
      const error = await tryStatement(p, sql);
      if (error) skipped.push({ sql, error });
      else statements.push(sql);
    }
    const sequences = await advanceSequences(p, pt);
    const after = Number(
      (await query<{ n: string }>(p, `SELECT count(*)::bigint AS n FROM ${pt.qualified}`)).rows[0]!.n,
    );
    if (after !== branchRows) {
      throw new LifeboatError(
        "ROWCOUNT_MISMATCH",
        `${pt.qualified} would hold ${after} rows but the branch has ${branchRows}; rolled back`,
        "Nothing was changed. Run it again; if it repeats, report it.",
        { after, branchRows },
      );
    }
    await query(p, "COMMIT");
    return {
      table: name,
      dryRun,
      rows,
      branchRows,
      statements,
      skipped,
      sequences,
      notRestored: ddl.notRestored,
      durationMs: performance.now() - t0,
    };
  } catch (err) {
    if (err instanceof LifeboatError) throw err;
    throw sideError(p ?? { name: "production", conn: production }, err, `restore ${table}`);
  } finally {
    await Promise.all([closeSide(b), closeSide(p)]);
  }
}

/**
 * Re-creates a table production lost (columns, defaults, identity/serial sequences, primary key, unique and check
 * constraints, indexes, foreign keys in both directions where they still fit) and copies every branch row into it,
 * in one transaction whose row count must equal the branch's. Triggers, policies and grants are listed, not restored.
 */
export async function restoreDroppedTable(
  branch: ConnInfo,
  production: ConnInfo,
  table: string,
  opts: RestoreTableOptions,
  ctx: ForensicsContext,
): Promise<RestoreTableResult> {
  return ctx.journal.step(
    {
      kind: "forensics.restore-table",
      summary: `${opts.dryRun ? "Dry run: restore" : "Restore"} table ${table} from branch ${describeConn(branch)} into production ${describeConn(production)}`,
      ...(ctx.profile ? { profile: ctx.profile } : {}),
      details: { table, dryRun: !!opts.dryRun, branch: describeConn(branch), production: describeConn(production) },
    },
    () => run(branch, production, table, opts),
    (r) => ({ rows: r.rows, branchRows: r.branchRows, skipped: r.skipped.map((s) => s.sql), sequences: r.sequences }),
  );
}
