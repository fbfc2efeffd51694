// The pieces both restore paths share: pg_restore's arguments, how its failure is reported, and the proof by counts.
import { LifeboatError } from "../../shared/errors.ts";
import type { BackupManifest } from "../../shared/manifest.ts";
import { KEEPALIVE_CONNINFO } from "../postgres/conn-info.ts";
import { CONNECTION_LOST } from "../postgres/connection-lost.ts";
import { errorLines } from "../process/child.ts";
import { qualified } from "../backup/compare-counts.ts";

export interface RestoreOptions {
  database: string;
  force?: boolean;
  confirm?: string;
  noOwner?: boolean;
  noAcl?: boolean;
  schemaOnly?: boolean;
  /** "table" or "schema.table". */
  tables?: string[];
  /** 1 (default) streams into one transaction: atomic, no plaintext on disk. >1 stages the plaintext archive for pg_restore --jobs. */
  jobs?: number;
}

const conninfoValue = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

export function selectTables(m: BackupManifest, tables: string[] | undefined): BackupManifest["tables"] | undefined {
  if (!tables?.length) return undefined;
  const picked = m.tables.filter((t) => tables.some((x) => x === t.table || x === qualified(t)));
  const unknown = tables.filter((x) => !m.tables.some((t) => x === t.table || x === qualified(t)));
  if (unknown.length) {
    throw new LifeboatError(
      "USAGE",
      `backup ${m.id} has no table ${unknown.map((u) => `"${u}"`).join(", ")}`,
      `Tables in this backup: ${m.tables.map(qualified).slice(0, 20).join(", ")}`,
    );
  }
  return picked;
}

/**
 * pg_restore's arguments. Never --clean: a database that holds data is replaced as a whole through a staging
 * database (staging-database.ts), not object by object (--clean fails on partitioned tables' inherited constraints and
 * leaves half-replaced schemas on any error outside a transaction).
 */
export function restoreArgs(
  opts: RestoreOptions,
  database: string,
  selected: BackupManifest["tables"] | undefined,
): string[] {
  const args = [
    "--exit-on-error",
    "--verbose",
    "--no-password",
    `--dbname=dbname=${conninfoValue(database)} ${KEEPALIVE_CONNINFO}`,
  ];
  if (opts.noOwner) args.push("--no-owner");
  if (opts.noAcl) args.push("--no-acl");
  if (opts.schemaOnly) args.push("--schema-only");
  if (selected) {
    for (const s of new Set(selected.map((t) => t.schema))) args.push(`--schema=${s}`);
    for (const t of selected) args.push(`--table=${t.table}`);
  }
  return args;
}

function failureHint(stderr: string): string {
  if (/role "[^"]+" does not exist/.test(stderr))
    return "The target lacks the roles that owned these objects (normal on Neon): run again with --no-owner --no-acl.";
  return "The target was left as it was before the restore. Fix the cause shown and run it again.";
}

/** pg_restore exited non-zero: its error lines, and what became of the database restored into. */
export function pgRestoreFailed(
  m: BackupManifest,
  database: string,
  stderr: string,
  dropped: string | undefined,
): LifeboatError {
  const lines = errorLines(stderr);
  if (CONNECTION_LOST.test(stderr)) {
    return new LifeboatError(
      "PG_UNREACHABLE",
      `the connection to the target server was lost while restoring backup ${m.id} into "${database}"${dropped ? ` (${dropped})` : ""}: ${lines.slice(0, 3).join(" | ")}`,
      "Check that the server is up and reachable (a restart, a failover, a dropped VPN), then run the restore again.",
      { errors: lines },
    );
  }
  return new LifeboatError(
    "RESTORE_FAILED",
    `pg_restore failed restoring backup ${m.id} into "${database}"${dropped ? ` (${dropped})` : ""}: ${lines.slice(0, 3).join(" | ")}`,
    failureHint(stderr),
    { errors: lines },
  );
}
