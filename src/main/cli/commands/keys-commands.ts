import type { Command } from "commander";
import { LifeboatError } from "../../../shared/errors.ts";
import { generateIdentity } from "../../crypto/age-keys.ts";
import { getKeychainSecret, setKeychainSecret } from "../../secrets/keychain.ts";
import type { CliContext } from "../cli-context.ts";
import { printResult } from "../output.ts";

export function registerKeysCommands(program: Command, ctx: CliContext): void {
  const keys = program.command("keys").description("age encryption keys");
  keys
    .command("generate")
    .description("make a new age identity, store it in the OS keychain, and print its public recipient")
    .option("--name <name>", "keychain entry for the identity", "lifeboat-age-identity")
    .option(
      "--overwrite",
      "replace an existing identity under that name (backups encrypted only to the old key become unreadable)",
    )
    .action(async (o: { name: string; overwrite?: boolean }) => {
      if (!o.overwrite && (await getKeychainSecret(o.name))) {
        throw new LifeboatError(
          "USAGE",
          `keychain:${o.name} already holds an identity; it was left as it is`,
          "Choose another --name, or pass --overwrite if no backup depends on the old key.",
        );
      }
      const { identity, recipient } = generateIdentity();
      await setKeychainSecret(o.name, identity);
      await ctx.record("keys.generate", `age identity generated into keychain:${o.name}`, {
        recipient,
        identityRef: `keychain:${o.name}`,
      });
      printResult(ctx.io, ctx, { recipient, identityRef: `keychain:${o.name}` }, (r) =>
        [
          `recipient: ${r.recipient}`,
          `identity stored as ${r.identityRef} (it never leaves the keychain; export it to your escrow with your keychain's tools)`,
          `use it: lifeboat profile add … --recipient ${r.recipient} --identity-ref ${r.identityRef}`,
        ].join("\n"),
      );
    });
}
