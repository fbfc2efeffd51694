import type { Command } from "commander";
import { readSecretInput } from "../../secrets/read-secret-input.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint, invokeQuietly, reportError } from "../invoke-channel.ts";

export function registerSecretCommands(program: Command, ctx: CliContext): void {
  const secret = program
    .command("secret")
    .description("store secrets in the OS keychain (values come from a prompt or stdin, never argv)");

  secret
    .command("set <name>")
    .description("store a secret under keychain:<name>; reads the value from the prompt, or from stdin when piped")
    .action(async (name: string) => {
      // Asked first, so nobody types a secret for a keychain that cannot take it.
      const status = await invokeQuietly(ctx, "keychain.status", {});
      if (!status) return;
      if (!status.available)
        return reportError(ctx, {
          code: "KEYCHAIN_UNAVAILABLE",
          message: status.message ?? "no OS keychain is available",
          hint: "Use env: references for headless runs.",
        });
      const value = await readSecretInput({
        prompt: `Value for keychain:${name}: `,
        stdin: ctx.io.stdin,
        stderr: ctx.io.stderr,
        isTTY: ctx.io.stdinIsTTY,
      });
      const warning = status.persistent ? undefined : status.message;
      await invokeAndPrint(ctx, "secrets.set", { name, value }, (r) =>
        [`stored ${r.ref} in ${status.backend}`, warning ? `warning: ${warning}` : ""].filter(Boolean).join("\n"),
      );
    });

  secret
    .command("delete <name>")
    .description("remove keychain:<name>")
    .action(async (name: string) => {
      await invokeAndPrint(ctx, "secrets.delete", { name }, (r) =>
        r.deleted ? `deleted keychain:${name}` : `keychain:${name} did not exist`,
      );
    });

  secret
    .command("status")
    .description("which OS keychain Lifeboat would use, and whether it survives a reboot")
    .action(async () => {
      await invokeAndPrint(
        ctx,
        "keychain.status",
        {},
        (v) =>
          `${v.available ? "available" : "NOT available"}: ${v.backend}${v.persistent ? "" : " (not persistent)"}${v.message ? `\n${v.message}` : ""}`,
      );
    });
}
