import type { Command } from "commander";
import { LifeboatError } from "../../../shared/errors.ts";
import { deleteKeychainSecret, keychainStatus, setKeychainSecret } from "../../secrets/keychain.ts";
import { readSecretInput } from "../../secrets/read-secret-input.ts";
import type { CliContext } from "../cli-context.ts";
import { printResult } from "../output.ts";

export function registerSecretCommands(program: Command, ctx: CliContext): void {
  const secret = program
    .command("secret")
    .description("store secrets in the OS keychain (values come from a prompt or stdin, never argv)");

  secret
    .command("set <name>")
    .description("store a secret under keychain:<name>; reads the value from the prompt, or from stdin when piped")
    .action(async (name: string) => {
      const status = await keychainStatus();
      if (!status.available)
        throw new LifeboatError(
          "KEYCHAIN_UNAVAILABLE",
          status.message ?? "no OS keychain is available",
          "Use env: references for headless runs.",
        );
      const value = await readSecretInput({
        prompt: `Value for keychain:${name}: `,
        stdin: ctx.io.stdin,
        stderr: ctx.io.stderr,
        isTTY: ctx.io.stdinIsTTY,
      });
      await setKeychainSecret(name, value);
      await ctx.record("secret.set", `Secret keychain:${name} stored`, {
        ref: `keychain:${name}`,
        backend: status.backend,
      });
      const warning = status.persistent ? undefined : status.message;
      printResult(
        ctx.io,
        ctx,
        {
          stored: `keychain:${name}`,
          backend: status.backend,
          persistent: status.persistent,
          ...(warning ? { warning } : {}),
        },
        (r) =>
          [`stored keychain:${name} in ${r.backend}`, warning ? `warning: ${warning}` : ""].filter(Boolean).join("\n"),
      );
    });

  secret
    .command("delete <name>")
    .description("remove keychain:<name>")
    .action(async (name: string) => {
      const removed = await deleteKeychainSecret(name);
      await ctx.record("secret.delete", `Secret keychain:${name} ${removed ? "deleted" : "was not set"}`, {
        ref: `keychain:${name}`,
        removed,
      });
      printResult(ctx.io, ctx, { name, removed }, (r) =>
        r.removed ? `deleted keychain:${name}` : `keychain:${name} did not exist`,
      );
    });

  secret
    .command("status")
    .description("which OS keychain Lifeboat would use, and whether it survives a reboot")
    .action(async () => {
      const s = await keychainStatus();
      printResult(
        ctx.io,
        ctx,
        s,
        (v) =>
          `${v.available ? "available" : "NOT available"}: ${v.backend}${v.persistent ? "" : " (not persistent)"}${v.message ? `\n${v.message}` : ""}`,
      );
    });
}
