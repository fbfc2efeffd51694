import type { Command } from "commander";
import { listBackups } from "../../backup/backup-catalog.ts";
import { runBackup } from "../../backup/run-backup.ts";
import { profileStore } from "../../engine/profile-runtime.ts";
import type { CliContext } from "../cli-context.ts";
import { formatBytes, formatDuration, printResult, table } from "../output.ts";

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command("backup")
    .description("dump, compress, encrypt and store a backup whose manifest holds exact row counts")
    .option("-p, --profile <name>", "profile to back up")
    .action(async (o: { profile?: string }) => {
      const profile = await ctx.profile(o.profile);
      const engine = await ctx.engine();
      try {
        const m = await runBackup(profile, engine);
        engine.done();
        const rows = m.tables.reduce((a, t) => a + t.rows, 0);
        printResult(ctx.io, ctx, m, () =>
          [
            `backup ${m.id} committed`,
            `  ${m.tables.length} tables, ${rows} rows counted in the dump's snapshot`,
            `  archive ${m.dumpBytes !== undefined ? formatBytes(m.dumpBytes) : "?"} -> stored ${formatBytes(m.object.bytes)} (${m.compression.algorithm}, age to ${m.encryption.recipients.length} recipient(s))`,
            `  ${m.object.key}  sha256 ${m.object.sha256}`,
            `  took ${formatDuration(Date.parse(m.finishedAt) - Date.parse(m.startedAt))}`,
          ].join("\n"),
        );
      } finally {
        engine.done();
      }
    });

  program
    .command("backups")
    .description("list committed backups (and any incomplete runs, which are never restorable)")
    .option("-p, --profile <name>", "profile")
    .action(async (o: { profile?: string }) => {
      const profile = await ctx.profile(o.profile);
      const store = await profileStore(profile, await ctx.engine());
      const catalog = await listBackups(store, profile.name);
      printResult(ctx.io, ctx, catalog, (c) => {
        const lines = c.backups.length
          ? [
              table([
                ["ID", "FINISHED", "STORED", "TABLES", "ROWS"],
                ...c.backups.map((m) => [
                  m.id,
                  m.finishedAt,
                  formatBytes(m.object.bytes),
                  String(m.tables.length),
                  String(m.tables.reduce((a, t) => a + t.rows, 0)),
                ]),
              ]),
            ]
          : [`no committed backups for "${profile.name}" in ${store.description}`];
        for (const i of c.incomplete)
          lines.push(`incomplete (no manifest, not restorable): ${i.dir} (${formatBytes(i.bytes)})`);
        for (const i of c.invalid) lines.push(`invalid manifest: ${i.key}: ${i.error}`);
        return lines.join("\n");
      });
    });
}
