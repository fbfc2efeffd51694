import type { Command } from "commander";
import { exitCodeFor, LifeboatError } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { formatDrillReport } from "../../drills/drill-report.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { neonCall, withNeonFlags } from "./neon-commands.ts";
import { collect } from "./option-helpers.ts";
import { registerProtectionDrills } from "./protection-commands.ts";

export function registerDrillCommands(program: Command, ctx: CliContext): void {
  const drill = program.command("drill").description("recovery drills: prove the backups work before they are needed");
  registerProtectionDrills(drill, ctx);

  withNeonFlags(drill.command("neon"))
    .description(
      "the weekly backup test: branch at 24 hours ago, connect, count the key tables, compare with the last passing run, delete the branch; exits non-zero on FAIL",
    )
    .option("--offset <duration>", 'how far back, e.g. "24 hours" (default: the profile\'s neon.drill.offsetHours)')
    .option("--table <name>", "key table to count (repeatable; default: the profile's neon.drill.tables)", collect, [])
    .option(
      "--max-drop <percent>",
      "fail when a table lost more than this share of its rows since the last passing run (default: neon.drill.maxDropPercent)",
    )
    .action(
      async (o: {
        profile?: string;
        maxWait?: string;
        timeout?: string;
        offset?: string;
        table: string[];
        maxDrop?: string;
      }) => {
        const maxDrop = o.maxDrop === undefined ? undefined : Number(o.maxDrop);
        if (maxDrop !== undefined && !(maxDrop >= 0 && maxDrop <= 100)) {
          throw new LifeboatError(
            "USAGE",
            `--max-drop "${o.maxDrop}" is not a percentage between 0 and 100.`,
            "e.g. --max-drop 10",
          );
        }
        const request = {
          ...neonCall(o),
          ...(o.offset ? { offset: o.offset } : {}),
          ...(o.table.length ? { tables: o.table } : {}),
          ...(maxDrop !== undefined ? { maxDropPercent: maxDrop } : {}),
        };
        await invokeAndPrint(ctx, "drill.neon", request, formatDrillReport, {
          exitCode: (r) => (r.pass ? 0 : exitCodeFor(r.error?.code ?? "DRILL_FAILED")),
        });
      },
    );
}
