import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { table } from "../output.ts";

export function registerToolsCommand(program: Command, ctx: CliContext): void {
  program
    .command("tools")
    .description("list the PostgreSQL client tools and zstd that Lifeboat found")
    .option("--pg-bin-dir <dir>", "also look in this folder")
    .action(async (o: { pgBinDir?: string }) => {
      await invokeAndPrint(ctx, "tools.list", { pgBinDir: o.pgBinDir }, (r) =>
        [
          r.postgres.length
            ? table([
                ["MAJOR", "VERSION", "FOLDER", "FOUND VIA"],
                ...r.postgres.map((t) => [String(t.major), t.version, t.dir, t.source]),
              ])
            : "no pg_dump/pg_restore found",
          `zstd: ${r.zstd ?? "not found (backups fall back to pg_dump's built-in compression)"}`,
        ].join("\n"),
      );
    });
}
