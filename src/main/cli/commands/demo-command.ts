import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { intInRange } from "./option-helpers.ts";

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command("demo")
    .description(
      "the embedded demo: a local PostgreSQL with sample data, a local S3 server, a backup and a deep verify (no cloud account)",
    )
    .option("--scale <n>", "sample data size; 1 = the seed's 150 patients and 423 notes", intInRange(1, 1000), 1)
    .action(async (o: { scale: number }) => {
      await invokeAndPrint(
        ctx,
        "demo.run",
        { scale: o.scale },
        () => "Demo complete: the backup was made, proven whole and proven restorable.",
        { notes: "stdout" },
      );
    });
}
