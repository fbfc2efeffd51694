// `lifeboat forensics plan | rows | decide | apply | verify | export`: Scenario 1's repair from three states. Each
// command builds its channel's request and prints the answer; the engine does the rest.
import type { Command } from "commander";
import type { DatabaseRef } from "../../../shared/api/channels/forensics-channels.ts";
import type { RequestOf } from "../../../shared/api/channels.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import type { Decision } from "../../../shared/repair-plan.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { collect, positiveInt } from "./option-helpers.ts";
import { applyText, planText, rowsText, verifyText } from "./repair-text.ts";

interface StateFlags {
  [k: string]: string | undefined;
}

/** One state's source from --<state>-secret / --<state>-profile / --<state>-branch (exactly one). */
function stateSource(o: StateFlags, state: "before" | "damaged", required: boolean): DatabaseRef | undefined {
  const secret = o[`${state}Secret`];
  const profile = o[`${state}Profile`];
  const branch = o[`${state}Branch`];
  const given = [secret, profile, branch].filter((x) => x !== undefined).length;
  if (given > 1)
    throw new LifeboatError(
      "USAGE",
      `give the ${state} state once: --${state}-secret, --${state}-profile or --${state}-branch`,
    );
  if (given === 0) {
    if (!required) return undefined;
    throw new LifeboatError(
      "USAGE",
      "which database is the before state (the last good second)? Give --before-secret keychain:NAME, --before-profile NAME or --before-branch NAME",
      "A Neon recovery branch: `lifeboat neon recover-to <last good second> --save-uri keychain:before-uri`, then --before-secret keychain:before-uri (or --before-branch <its name>).",
    );
  }
  if (secret !== undefined) return { kind: "secret", ref: secret };
  if (profile !== undefined) return { kind: "profile", profile };
  return { kind: "neon-branch", branch: branch! };
}

function withStates(cmd: Command): Command {
  for (const state of ["before", "damaged"] as const) {
    const what = state === "before" ? "the last good second" : "right after the incident";
    cmd
      .option(
        `--${state}-secret <ref>`,
        `keychain:NAME or env:VAR holding the postgresql:// URI of the database as at ${what}`,
      )
      .option(`--${state}-profile <name>`, `a profile whose database is the ${state} state`)
      .option(`--${state}-branch <name>`, `a Neon branch of the production profile's project, as at ${what}`);
  }
  return cmd;
}

function parseKey(text: string): string[] {
  if (text.startsWith("[")) {
    const v = JSON.parse(text) as unknown;
    if (Array.isArray(v)) return v.map(String);
  }
  return [text];
}

const CHOICES = ["keep-now", "take-before", "keep", "remove"] as const;

export function registerRepairCommands(forensics: Command, ctx: CliContext): void {
  withStates(forensics.command("plan <tables...>"))
    .description(
      "plan the repair of an incident: the tables (and every table linked by a foreign key) compared across before, damaged and production; every damaged row classified; writes nothing",
    )
    .option("-p, --profile <name>", "production profile")
    .option("--before-at <time>", "when the before state was taken (checked: before < damaged)")
    .option("--damaged-at <time>", "when the damaged state was taken")
    .option("--no-follow-fks", "only the tables named, not their foreign-key neighbours")
    .option(
      "--audit-from <time>",
      "two states only: first moment of the incident window the audit table attributes rows to",
    )
    .option("--audit-to <time>", "two states only: last moment of that window")
    .option("--audit-table <name>", "the audit table (default AuditLog)")
    .action(async (tables: string[], o: StateFlags & { profile?: string; followFks: boolean }) => {
      const damaged = stateSource(o, "damaged", false);
      if ((o.auditFrom === undefined) !== (o.auditTo === undefined))
        throw new LifeboatError("USAGE", "give the incident window as both --audit-from and --audit-to");
      const req: RequestOf<"forensics.plan"> = {
        profile: o.profile,
        before: stateSource(o, "before", true)!,
        ...(damaged ? { damaged } : {}),
        tables,
        followForeignKeys: o.followFks,
        ...(o.beforeAt || o.damagedAt
          ? {
              points: {
                ...(o.beforeAt ? { before: o.beforeAt } : {}),
                ...(o.damagedAt ? { damaged: o.damagedAt } : {}),
              },
            }
          : {}),
        ...(o.auditFrom && o.auditTo
          ? { audit: { from: o.auditFrom, to: o.auditTo, ...(o.auditTable ? { auditTable: o.auditTable } : {}) } }
          : {}),
      };
      await invokeAndPrint(ctx, "forensics.plan", req, planText);
    });

  forensics
    .command("rows <plan-id>")
    .description("a plan's damaged rows with their values before, damaged and now, column by column (the drill-down)")
    .option("--table <name>", "only this table (schema.name, as the plan shows it)")
    .option("--class <class>", "only reinsert, restore, conflict or inserted")
    .option("--offset <n>", "skip this many", (v) => Number(v), 0)
    .option("--limit <n>", "show at most this many", positiveInt, 50)
    .action(async (planId: string, o: { table?: string; class?: string; offset: number; limit: number }) => {
      await invokeAndPrint(
        ctx,
        "forensics.planRows",
        {
          planId,
          ...(o.table ? { table: o.table } : {}),
          ...(o.class ? { class: o.class as RequestOf<"forensics.planRows">["class"] } : {}),
          offset: o.offset,
          limit: o.limit,
        },
        rowsText,
      );
    });

  forensics
    .command("decide <plan-id>")
    .description(
      "record a decision on damaged rows the plan cannot repair alone: conflicts (--keep-now, --take-before, --take-before-columns a,b) and rows the incident inserted (--keep, --remove); journaled",
    )
    .requiredOption("--table <name>", "the rows' table (schema.name, as the plan shows it)")
    .option("--key <value>", "a row's primary key (repeatable; a composite key as a JSON array)", collect, [])
    .option("--all <class>", "every row of the table in this class (conflict or inserted)")
    .option("--keep-now", "leave production's row as it is")
    .option("--take-before", "put the before values back")
    .option(
      "--take-before-columns <columns>",
      "per column: take the before value of these columns, keep now for the rest",
    )
    .option("--keep", "keep a row the incident inserted")
    .option("--remove", "remove a row the incident inserted")
    .action(async (planId: string, o: Record<string, unknown> & { table: string; key: string[]; all?: string }) => {
      const picked = [
        ...CHOICES.filter((c) => o[c.replace(/-(.)/g, (_, x: string) => x.toUpperCase())]),
        ...(o.takeBeforeColumns ? ["per-column"] : []),
      ];
      if (picked.length !== 1)
        throw new LifeboatError(
          "USAGE",
          "choose exactly one of --keep-now, --take-before, --take-before-columns, --keep, --remove",
        );
      if (o.key.length > 0 === !!o.all)
        throw new LifeboatError("USAGE", "name the rows with --key (repeatable) or --all <class>, not both");
      const choice = picked[0] as Decision["choice"];
      const takeBefore =
        typeof o.takeBeforeColumns === "string" ? o.takeBeforeColumns.split(",").map((c) => c.trim()) : undefined;
      const req: RequestOf<"forensics.decide"> = o.all
        ? {
            planId,
            all: { table: o.table, class: o.all as NonNullable<RequestOf<"forensics.decide">["all"]>["class"], choice },
          }
        : {
            planId,
            decisions: o.key.map((k) => ({
              table: o.table,
              key: parseKey(k),
              choice,
              ...(takeBefore ? { takeBefore } : {}),
            })),
          };
      await invokeAndPrint(
        ctx,
        "forensics.decide",
        req,
        (r) => `recorded ${r.recorded} decision(s) on plan ${planId} (journaled)`,
      );
    });

  forensics
    .command("apply <plan-id>")
    .description(
      "apply a repair plan to production in ONE transaction (refused if production moved since the plan); --dry-run runs every statement and rolls back",
    )
    .option("-p, --profile <name>", "production profile")
    .option("--dry-run", "run the statements and roll back: their exact effects, nothing kept")
    .option("--confirm <database>", "production's database name: required to write")
    .option(
      "--fire-triggers",
      "let production's user triggers fire on the repair (default: disabled for its transaction)",
    )
    .action(
      async (planId: string, o: { profile?: string; dryRun?: boolean; confirm?: string; fireTriggers?: boolean }) => {
        await invokeAndPrint(
          ctx,
          "forensics.apply",
          {
            profile: o.profile,
            planId,
            dryRun: !!o.dryRun,
            ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
            ...(o.fireTriggers ? { fireTriggers: true } : {}),
          },
          applyText,
        );
      },
    );

  forensics
    .command("verify <plan-id>")
    .description(
      "compare the plan's tables again and count the damaged rows still unrepaired without a decision, per table; exit 7 while any remain",
    )
    .option("-p, --profile <name>", "production profile")
    .action(async (planId: string, o: { profile?: string }) => {
      await invokeAndPrint(ctx, "forensics.verify", { profile: o.profile, planId }, verifyText, {
        exitCode: (r) => (r.green ? 0 : 7),
      });
    });

  forensics
    .command("export <plan-id>")
    .description("export a plan for review: CSV (one line per differing column) or JSON, into the exports folder")
    .option("--format <format>", "csv or json", "csv")
    .action(async (planId: string, o: { format: string }) => {
      await invokeAndPrint(
        ctx,
        "forensics.exportPlan",
        { planId, format: o.format as RequestOf<"forensics.exportPlan">["format"] },
        (r) => `exported ${r.rows} row(s) to ${r.file} (${r.bytes} bytes, sha256 ${r.digest})`,
      );
    });
}
