import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { EXIT_CODES } from "../../../shared/errors.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { table } from "../output.ts";

function checkText(r: ResultOf<"keys.check">): string {
  return [
    `keys on record for ${r.store}:`,
    table(r.keys.map((k) => [`  ${k.label}`, k.reachable ? "reachable here" : "not on this machine", k.detail])),
    `${r.backups.length} retained backup(s) and attachment run(s):`,
    table([
      ["  ID", "OPENS WITH (here)", "CAN BE OPENED BY"],
      ...r.backups.map((b) => [`  ${b.id}`, b.opensWith ?? "-", b.onRecord.join(", ") || `NOBODY: ${b.problem ?? ""}`]),
    ]),
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join("\n");
}

/** `lifeboat keys check|rotate|escrow`, under the `keys` command. */
export function registerKeyCustodyCommands(keys: Command, ctx: CliContext): void {
  keys
    .command("check")
    .description(
      "for every retained backup: the recipients it was encrypted to and whether an identity this machine holds opens it (age header only); exit 6 when a backup can be opened by no identity on record",
    )
    .option("-p, --profile <name>", "profile")
    .option("--store <name>", 'the store ("primary" or a replica\'s name)')
    .action(async (o: { profile?: string; store?: string }) => {
      await invokeAndPrint(ctx, "keys.check", { profile: o.profile, store: o.store }, checkText, {
        exitCode: (v) => (v.ok ? EXIT_CODES.OK : EXIT_CODES.INTEGRITY),
      });
    });
  keys
    .command("rotate")
    .description(
      "make a new identity in the keychain for new backups; the old key stays on record as retired, with where its identity lives, for the backups that need it",
    )
    .option("-p, --profile <name>", "profile")
    .option("--name <name>", "keychain entry for the new identity (default lifeboat-age-identity-<time>)")
    .action(async (o: { profile?: string; name?: string }) => {
      await invokeAndPrint(ctx, "keys.rotate", { profile: o.profile, name: o.name }, (v) =>
        [
          `new backups are encrypted to ${v.recipient} (identity in ${v.identityRef})`,
          `retired: ${v.retired} (older backups need it: keep its identity; \`lifeboat keys check\` lists which)`,
        ].join("\n"),
      );
    });
  keys
    .command("escrow")
    .description(
      "add an escrow key kept off this machine (printed, on a token): every new backup is also encrypted to it",
    )
    .requiredOption("--label <text>", 'where it is kept, e.g. "printed, in the office safe"')
    .option("--recipient <age1…>", "a key made offline (age-keygen on another machine): only its recipient is recorded")
    .option(
      "--out <file>",
      "make the key here: its identity is written once to this new 0600 file, to print and delete",
    )
    .option("-p, --profile <name>", "profile")
    .action(async (o: { profile?: string; label: string; recipient?: string; out?: string }) => {
      await invokeAndPrint(
        ctx,
        "keys.escrow",
        { profile: o.profile, label: o.label, recipient: o.recipient, out: o.out },
        (v) =>
          [
            `escrow key "${v.label}" recorded: new backups are also encrypted to ${v.recipient}`,
            v.identityFile
              ? `its identity is in ${v.identityFile}: print it or copy it to the token, then delete the file (shred -u ${v.identityFile})`
              : "",
            "prove it now and then: lifeboat drill decrypt --identity-file <the escrow identity>",
          ]
            .filter(Boolean)
            .join("\n"),
      );
    });
}
