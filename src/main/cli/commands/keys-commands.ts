import type { Command } from "commander";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { registerKeyCustodyCommands } from "./key-custody-commands.ts";

export function registerKeysCommands(program: Command, ctx: CliContext): void {
  const keys = program.command("keys").description("age encryption keys");
  registerKeyCustodyCommands(keys, ctx);
  keys
    .command("generate")
    .description("make a new age identity, store it in the OS keychain, and print its public recipient")
    .option("--name <name>", "keychain entry for the identity", "lifeboat-age-identity")
    .option(
      "--overwrite",
      "replace an existing identity under that name (backups encrypted only to the old key become unreadable)",
    )
    .action(async (o: { name: string; overwrite?: boolean }) => {
      await invokeAndPrint(ctx, "keys.generate", { name: o.name, overwrite: o.overwrite }, (r) =>
        [
          `recipient: ${r.recipient}`,
          `identity stored as ${r.identityRef} (it never leaves the keychain; export it to your escrow with your keychain's tools)`,
          `use it: lifeboat profile add … --recipient ${r.recipient} --identity-ref ${r.identityRef}`,
        ].join("\n"),
      );
    });
}
