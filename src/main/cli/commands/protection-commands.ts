import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import type { BackupLockState } from "../../../shared/api/channels/protection-channels.ts";
import { EXIT_CODES } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { table } from "../output.ts";
import { restoreIdentityFile } from "./identity-file.ts";

function lockText(s: BackupLockState): string {
  return [
    `backup ${s.id} in ${s.store}: ${s.status.toUpperCase()}: ${s.summary}`,
    ...s.objects.map(
      (o) =>
        `  ${o.key.slice(o.key.lastIndexOf("/") + 1)}: ${o.mode ?? "no lock"}${o.retainUntil ? ` until ${o.retainUntil}` : ""}${o.legalHold ? ", legal hold ON" : ""}${o.versionId ? ` (version ${o.versionId})` : ""}`,
    ),
  ].join("\n");
}

/** `lifeboat backups hold|release|locks`, under the `backups` command. */
export function registerBackupProtectionCommands(backups: Command, ctx: CliContext): void {
  // `backups` has its own -p: commander gives it a -p written after the subcommand too, so look there as well.
  const profileOf = (o: { profile?: string }): string | undefined =>
    o.profile ?? (backups.opts() as { profile?: string }).profile;
  for (const [name, hold] of [
    ["hold", true],
    ["release", false],
  ] as const) {
    backups
      .command(`${name} <id>`)
      .description(
        hold
          ? "put every object of a backup under legal hold: nobody can delete it, whatever its retention, until released"
          : "release a backup's legal hold (its retention lock, if any, still holds)",
      )
      .option("-p, --profile <name>", "profile")
      .option("--store <name>", 'the store ("primary" or a replica\'s name)')
      .action(async (id: string, o: { profile?: string; store?: string }) => {
        await invokeAndPrint(ctx, "protection.hold", { profile: profileOf(o), id, hold, store: o.store }, lockText);
      });
  }
  backups
    .command("locks [id]")
    .description("each backup's Object Lock as the store reports it: mode, retain-until and legal hold per object")
    .option("-p, --profile <name>", "profile")
    .option("--store <name>", 'the store ("primary" or a replica\'s name)')
    .action(async (id: string | undefined, o: { profile?: string; store?: string }) => {
      await invokeAndPrint(ctx, "protection.locks", { profile: profileOf(o), id, store: o.store }, (v) =>
        id
          ? v.backups.map(lockText).join("\n")
          : table([
              ["ID", "STATUS", "UNTIL", "HOLD"],
              ...v.backups.map((b) => [b.id, b.status, b.until ?? "-", b.legalHold ? "on" : "off"]),
            ]),
      );
    });
}

function drillText(r: ResultOf<"protection.drill">): string {
  return [
    `${r.passed ? "PASSED" : "FAILED"}: ransomware drill on backup ${r.id} in ${r.store}`,
    ...r.attempts.map((a) => `  ${a.attempt}: ${a.outcome.toUpperCase()} (${a.detail})`),
    ...r.reasons.map((x) => `  why it failed: ${x}`),
    `  ${r.aftermath}`,
  ].join("\n");
}

/** `lifeboat drill ransomware` and `lifeboat drill decrypt`, under the `drill` command. */
export function registerProtectionDrills(drill: Command, ctx: CliContext): void {
  drill
    .command("ransomware")
    .description(
      "try to delete and overwrite the newest backup with the profile's own credentials; passes only when the store refuses (the backup is left intact either way); exit 6 on FAIL",
    )
    .option("-p, --profile <name>", "profile")
    .option("--store <name>", 'the store to drill ("primary" or a replica\'s name)')
    .action(async (o: { profile?: string; store?: string }) => {
      await invokeAndPrint(ctx, "protection.drill", { profile: o.profile, store: o.store }, drillText, {
        exitCode: (v) => (v.passed ? EXIT_CODES.OK : EXIT_CODES.INTEGRITY),
      });
    });
  drill
    .command("decrypt")
    .description(
      "the escrow drill: open and fully verify the newest and the oldest retained backup with the escrow identity alone; exit 6 on FAIL",
    )
    .requiredOption(
      "--identity-file <path>",
      "the escrow identity (AGE-SECRET-KEY-1…), e.g. typed in from the printed copy",
    )
    .option("-p, --profile <name>", "profile")
    .action(async (o: { profile?: string; identityFile: string }) => {
      const identity = (await restoreIdentityFile(o.identityFile, readFile))!;
      await invokeAndPrint(
        ctx,
        "keys.drill",
        { profile: o.profile, identity },
        (v) =>
          [
            `${v.passed ? "PASSED" : "FAILED"}: decrypt drill with escrow key "${v.escrow}"`,
            ...v.checked.map((c) => `  ${c.id}: ${c.ok ? "OK" : "FAILED"}: ${c.detail}`),
          ].join("\n"),
        { exitCode: (v) => (v.passed ? EXIT_CODES.OK : EXIT_CODES.INTEGRITY) },
      );
    });
}
