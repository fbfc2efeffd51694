import type { Command } from "commander";
import type { DatabaseRef } from "../../../shared/api/channels/forensics-channels.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { auditText, copyText, diffText, restoredText, schemaDiffText } from "../forensics-text.ts";
import { collect, positiveInt } from "./option-helpers.ts";
import { registerRepairCommands } from "./repair-commands.ts";

interface SideFlags {
  productionProfile?: string;
  productionSecret?: string;
  branchProfile?: string;
  branchSecret?: string;
}

function withProduction(cmd: Command): Command {
  return cmd
    .option("-p, --production-profile <name>", "profile whose database is production (default: the only profile)")
    .option(
      "--production-secret <ref>",
      "keychain:NAME or env:VAR holding production's postgresql:// URI, instead of a profile",
    );
}

function withSides(cmd: Command): Command {
  return withProduction(cmd)
    .option("--branch-profile <name>", "profile whose database is the recovery branch (the source of truth)")
    .option(
      "--branch-secret <ref>",
      "keychain:NAME or env:VAR holding the recovery branch's postgresql:// URI (e.g. from `neon recover-to --save-uri`)",
    );
}

/** Production as the request names it: the profile (default the only one), or a secret holding its URI. */
function productionOf(o: SideFlags): { profile?: string; production?: DatabaseRef } {
  if (o.productionProfile && o.productionSecret)
    throw new LifeboatError("USAGE", "give production as --production-profile or --production-secret, not both");
  if (o.productionSecret) return { production: { kind: "secret", ref: o.productionSecret } };
  return o.productionProfile ? { profile: o.productionProfile } : {};
}

/** Both sides: production, and the recovery branch as the source. */
function sidesOf(o: SideFlags): { profile?: string; production?: DatabaseRef; source: DatabaseRef } {
  if (!!o.branchProfile === !!o.branchSecret) {
    throw new LifeboatError(
      "USAGE",
      o.branchProfile
        ? "give the branch as --branch-profile or --branch-secret, not both"
        : "which database is the recovery branch? Give --branch-profile <name> or --branch-secret keychain:NAME",
      "A Neon recovery branch made by `lifeboat neon recover-to --save-uri keychain:NAME` is --branch-secret keychain:NAME.",
    );
  }
  const production = productionOf(o);
  return {
    ...production,
    source: o.branchSecret ? { kind: "secret", ref: o.branchSecret } : { kind: "profile", profile: o.branchProfile! },
  };
}

/** ISO 8601; without a zone it is read as UTC, as the seed's runbooks write times. */
function parseTime(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const s = value.trim().replace(" ", "T");
  const zoned = /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(s) ? s : `${s}Z`;
  const d = new Date(zoned);
  if (Number.isNaN(d.getTime()))
    throw new LifeboatError(
      "USAGE",
      `${flag} "${value}" is not a time`,
      `Use ISO 8601, e.g. ${flag} 2026-01-17T14:00:00Z (UTC when no zone is given).`,
    );
  return d;
}

/** `--key 42`, or for a composite key a JSON array: `--key '[7,"a"]'`. */
function parseKey(value: string): string[] {
  if (!value.trim().startsWith("[")) return [value];
  try {
    const v = JSON.parse(value) as unknown;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string" || typeof x === "number"))
      return v.map(String);
  } catch {
    // reported below
  }
  throw new LifeboatError(
    "USAGE",
    `--key ${value} is not a key`,
    `A single-column key is its value (--key 42); a composite key is a JSON array in key-column order (--key '[42,"b"]').`,
  );
}

function restoreRequest(
  o: SideFlags & { dryRun?: boolean; confirm?: string; batchRows: number },
  table: string,
  column?: string,
) {
  return {
    ...sidesOf(o),
    table,
    ...(column ? { column } : {}),
    dryRun: !!o.dryRun,
    ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
    batchRows: o.batchRows,
  };
}

export function registerForensicsCommands(program: Command, ctx: CliContext): void {
  const forensics = program
    .command("forensics")
    .description(
      "compare a recovery branch with production and repair production from it (any two PostgreSQL databases)",
    );

  registerRepairCommands(forensics, ctx);

  withProduction(forensics.command("audit"))
    .description(
      "find when the damage started: bursts of DELETE/UPDATE in the audit table, and the last good second to branch at",
    )
    .option("--audit-table <name>", "audit table", "AuditLog")
    .option("--since <time>", "start of the window (ISO 8601, UTC if no zone); default 7 days before the newest event")
    .option("--until <time>", "end of the window")
    .option("--bucket <seconds>", "bucket size in seconds", positiveInt, 60)
    .option("--actions <list>", "comma-separated actions to count", "DELETE,UPDATE")
    .option("--action-column <name>", "column holding the action", "action")
    .option("--table-column <name>", "column holding the changed table's name", "tableName")
    .option("--record-column <name>", "column holding the changed record's id", "recordId")
    .option("--timestamp-column <name>", "column holding the event time", "timestamp")
    .option("--timestamp-zone <zone>", "zone of a timestamp-without-time-zone column's values", "UTC")
    .option("--top <n>", "bursts to list", positiveInt, 10)
    .action(
      async (
        o: SideFlags & {
          auditTable: string;
          since?: string;
          until?: string;
          bucket: number;
          actions: string;
          actionColumn: string;
          tableColumn: string;
          recordColumn: string;
          timestampColumn: string;
          timestampZone: string;
          top: number;
        },
      ) => {
        const since = parseTime(o.since, "--since");
        const until = parseTime(o.until, "--until");
        const request = {
          ...productionOf(o),
          auditTable: o.auditTable,
          bucketSeconds: o.bucket,
          actions: o.actions
            .split(",")
            .map((a) => a.trim())
            .filter(Boolean),
          columns: {
            action: o.actionColumn,
            tableName: o.tableColumn,
            recordId: o.recordColumn,
            timestamp: o.timestampColumn,
          },
          timestampZone: o.timestampZone,
          top: o.top,
          ...(since ? { since: since.toISOString() } : {}),
          ...(until ? { until: until.toISOString() } : {}),
        };
        await invokeAndPrint(ctx, "forensics.audit", request, auditText);
      },
    );

  withSides(forensics.command("diff <table>"))
    .description(
      "compare one table between the branch and production by primary key: rows missing from production, changed, only in production",
    )
    .option("--full-row", "compare whole rows as a multiset of row hashes (for a table without a primary key)")
    .option(
      "--where <sql>",
      `only rows matching this SQL filter, on both sides (e.g. "\\"createdAt\\" >= '2026-01-17 14:00'")`,
    )
    .option("--sample <n>", "example keys to show of each kind", positiveInt, 20)
    .action(async (name: string, o: SideFlags & { fullRow?: boolean; where?: string; sample: number }) => {
      const request = {
        ...sidesOf(o),
        table: name,
        ...(o.fullRow ? { fullRow: true } : {}),
        ...(o.where ? { where: o.where } : {}),
        sampleLimit: o.sample,
      };
      await invokeAndPrint(ctx, "forensics.diff", request, (v) => diffText(v, name));
    });

  withSides(forensics.command("copy <table>"))
    .description(
      "copy rows missing from production back from the branch: one transaction, INSERT … ON CONFLICT DO NOTHING; --dry-run first",
    )
    .option("--dry-run", "count what would be copied; write nothing")
    .option("--confirm <database>", "type production's DATABASE name (not the profile name) to allow the write")
    .option("--where <sql>", "only branch rows matching this SQL filter (e.g. a createdAt range)")
    .option("--key <value>", "only this primary key (repeatable; composite keys as a JSON array)", collect, [])
    .option("--batch-rows <n>", "rows per INSERT", positiveInt, 1000)
    .action(
      async (
        name: string,
        o: SideFlags & { dryRun?: boolean; confirm?: string; where?: string; key: string[]; batchRows: number },
      ) => {
        const keys = o.key.map(parseKey);
        const request = {
          ...sidesOf(o),
          table: name,
          dryRun: !!o.dryRun,
          ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
          ...(o.where ? { where: o.where } : {}),
          ...(keys.length ? { keys } : {}),
          batchRows: o.batchRows,
        };
        await invokeAndPrint(ctx, "forensics.copy", request, copyText);
      },
    );

  withSides(forensics.command("schema-diff"))
    .description("tables and columns the branch has and production lost; type changes")
    .action(async (o: SideFlags) => {
      await invokeAndPrint(ctx, "forensics.schemaDiff", sidesOf(o), schemaDiffText);
    });

  withSides(forensics.command("restore-column <table> <column>"))
    .description(
      "re-add a column production lost and refill its values from the branch by primary key, in one transaction",
    )
    .option("--dry-run", "show the definition and count the rows; change nothing")
    .option("--confirm <database>", "type production's DATABASE name to allow the change")
    .option("--batch-rows <n>", "rows per UPDATE", positiveInt, 5000)
    .action(
      async (
        name: string,
        column: string,
        o: SideFlags & { dryRun?: boolean; confirm?: string; batchRows: number },
      ) => {
        await invokeAndPrint(ctx, "forensics.restoreDropped", restoreRequest(o, name, column), restoredText);
      },
    );

  withSides(forensics.command("restore-table <table>"))
    .description(
      "re-create a table production lost (columns, keys, indexes, foreign keys) and copy its rows from the branch, in one transaction",
    )
    .option("--dry-run", "print the statements and count the rows; change nothing")
    .option("--confirm <database>", "type production's DATABASE name to allow the change")
    .option("--batch-rows <n>", "rows per INSERT", positiveInt, 1000)
    .action(async (name: string, o: SideFlags & { dryRun?: boolean; confirm?: string; batchRows: number }) => {
      await invokeAndPrint(ctx, "forensics.restoreDropped", restoreRequest(o, name), restoredText);
    });
}
