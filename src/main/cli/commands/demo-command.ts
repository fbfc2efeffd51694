import type { Command } from "commander";
import { runDemo } from "../../demo/run-demo.ts";
import type { CliContext } from "../cli-context.ts";
import { printResult } from "../output.ts";
import { progressPrinter } from "../progress-bar.ts";
import { positiveInt } from "./option-helpers.ts";

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description(
      "the embedded demo: a local PostgreSQL with sample data, a local S3 server, a backup and a deep verify (no cloud account)",
    )
    .option("--scale <n>", "sample data size; 1 = the seed's 150 patients and 423 notes", positiveInt, 1)
    .action(async (o: { scale: number }) => {
      const bar = progressPrinter(ctx.io, !ctx.json);
      const say = (line: string): void => {
        bar.done();
        if (!ctx.json) ctx.io.stdout.write(line + "\n");
      };
      const r = await runDemo({ scale: o.scale, say, onProgress: bar.onProgress });
      bar.done();
      printResult(
        ctx.io,
        ctx,
        { backup: r.manifest.id, tables: r.verify.tables, deep: r.verify.deep, journalRecords: r.journalRecords },
        () => "Demo complete: the backup was made, proven whole and proven restorable.",
      );
    });
}
