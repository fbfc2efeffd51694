import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { EXIT_CODES } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, formatDuration, table } from "../output.ts";
import { registerBackupProtectionCommands } from "./protection-commands.ts";
import { replicaLines } from "./replicate-command.ts";

const rowsOf = (m: { tables: { rows: number }[] }): number => m.tables.reduce((a, t) => a + t.rows, 0);

function backupText(m: ResultOf<"backups.run">): string {
  return [
    `backup ${m.id} committed`,
    `  ${m.tables.length} tables, ${rowsOf(m)} rows counted in the dump's snapshot${m.largeObjects?.count ? `; ${m.largeObjects.count} large objects (digest recorded)` : ""}`,
    `  archive ${m.dumpBytes !== undefined ? formatBytes(m.dumpBytes) : "?"} -> stored ${formatBytes(m.object.bytes)} (${m.compression.algorithm}, age to ${m.encryption.recipients.length} recipient(s))`,
    `  ${m.object.key}  sha256 ${m.object.sha256}`,
    `  took ${formatDuration(Date.parse(m.finishedAt) - Date.parse(m.startedAt))}`,
    m.retention
      ? `  retention: ${m.retention.generations.map((g) => `${g.tier} ${g.period}`).join(", ") || "no generation of its own (kept as one of the last N)"}`
      : "",
    m.lock
      ? `  locked ${m.lock.mode ?? "by a bucket rule"}${m.lock.retainUntil ? ` until ${m.lock.retainUntil}` : ""}`
      : "",
    ...replicaLines(m.replicas ?? []),
    ...(m.warnings ?? []).map((w) => `  warning: ${w}`),
  ]
    .filter(Boolean)
    .join("\n");
}

function catalogText(c: ResultOf<"backups.list">): string {
  const lines = c.backups.length
    ? [
        table([
          ["ID", "FINISHED", "STORED", "TABLES", "ROWS", ...(c.copies ? ["ON"] : [])],
          ...c.backups.map((m) => [
            m.id,
            m.finishedAt,
            formatBytes(m.object.bytes),
            String(m.tables.length),
            String(rowsOf(m)),
            ...(c.copies ? [(c.copies.backups.find((b) => b.id === m.id)?.on ?? []).join(",")] : []),
          ]),
        ]),
      ]
    : [`no committed backups for "${c.profile}" in ${c.store}`];
  for (const i of c.incomplete)
    lines.push(`incomplete (no manifest, not restorable): ${i.dir} (${formatBytes(i.bytes)})`);
  for (const i of c.invalid) lines.push(`invalid manifest: ${i.key}: ${i.error}`);
  for (const st of c.copies?.stores ?? [])
    if (st.error) lines.push(`store ${st.name} could not be listed: ${st.error}`);
  const behind = (c.copies?.backups ?? []).filter((b) => b.missingFrom.length);
  if (behind.length)
    lines.push(`${behind.length} backup(s) are missing from a store; \`lifeboat replicate\` copies them`);
  return lines.join("\n");
}

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command("backup")
    .description("dump, compress, encrypt and store a backup whose manifest holds exact row counts")
    .option("-p, --profile <name>", "profile to back up")
    .action(async (o: { profile?: string }) => {
      await invokeAndPrint(ctx, "backups.run", { profile: o.profile }, backupText, {
        // Committed, but a replica did not get its copy: not a success to a scheduler.
        exitCode: (m) =>
          m.replicas?.some((r) => r.error || r.failures.length) ? EXIT_CODES.CONNECTION : EXIT_CODES.OK,
      });
    });

  const backups = program
    .command("backups")
    .description("list committed backups (and any incomplete runs, which are never restorable)")
    .option("-p, --profile <name>", "profile")
    .action(async (o: { profile?: string }) => {
      await invokeAndPrint(ctx, "backups.list", { profile: o.profile }, catalogText);
    });
  registerBackupProtectionCommands(backups, ctx);
}
