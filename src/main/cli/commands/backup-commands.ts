import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, formatDuration, table } from "../output.ts";

const rowsOf = (m: { tables: { rows: number }[] }): number => m.tables.reduce((a, t) => a + t.rows, 0);

function backupText(m: ResultOf<"backups.run">): string {
  return [
    `backup ${m.id} committed`,
    `  ${m.tables.length} tables, ${rowsOf(m)} rows counted in the dump's snapshot`,
    `  archive ${m.dumpBytes !== undefined ? formatBytes(m.dumpBytes) : "?"} -> stored ${formatBytes(m.object.bytes)} (${m.compression.algorithm}, age to ${m.encryption.recipients.length} recipient(s))`,
    `  ${m.object.key}  sha256 ${m.object.sha256}`,
    `  took ${formatDuration(Date.parse(m.finishedAt) - Date.parse(m.startedAt))}`,
  ].join("\n");
}

function catalogText(c: ResultOf<"backups.list">): string {
  const lines = c.backups.length
    ? [
        table([
          ["ID", "FINISHED", "STORED", "TABLES", "ROWS"],
          ...c.backups.map((m) => [
            m.id,
            m.finishedAt,
            formatBytes(m.object.bytes),
            String(m.tables.length),
            String(rowsOf(m)),
          ]),
        ]),
      ]
    : [`no committed backups for "${c.profile}" in ${c.store}`];
  for (const i of c.incomplete)
    lines.push(`incomplete (no manifest, not restorable): ${i.dir} (${formatBytes(i.bytes)})`);
  for (const i of c.invalid) lines.push(`invalid manifest: ${i.key}: ${i.error}`);
  return lines.join("\n");
}

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command("backup")
    .description("dump, compress, encrypt and store a backup whose manifest holds exact row counts")
    .option("-p, --profile <name>", "profile to back up")
    .action(async (o: { profile?: string }) => {
      await invokeAndPrint(ctx, "backups.run", { profile: o.profile }, backupText);
    });

  program
    .command("backups")
    .description("list committed backups (and any incomplete runs, which are never restorable)")
    .option("-p, --profile <name>", "profile")
    .action(async (o: { profile?: string }) => {
      await invokeAndPrint(ctx, "backups.list", { profile: o.profile }, catalogText);
    });
}
