import type { Command } from "commander";
import { runConsole, untilSignal } from "../../browser-host/run-console.ts";
import type { CliContext } from "../cli-context.ts";
import { positiveInt } from "./option-helpers.ts";

export function registerConsoleCommand(program: Command, ctx: CliContext): void {
  program
    .command("console")
    .description("the operator console in your browser, served on 127.0.0.1 only with a one-time session token")
    .option("--no-open", "print the link instead of opening the default browser")
    .option("--port <n>", "listen on this port (default: a random free one)", positiveInt)
    .option("--sandbox", "practise: start the local Neon sandbox and a local S3 with a ready profile (no cloud account, your own profiles untouched)")
    .action(async (o: { open: boolean; port?: number; sandbox?: boolean }) => {
      await runConsole({
        configPath: ctx.configPath,
        env: ctx.io.env,
        open: o.open,
        ...(o.port ? { port: o.port } : {}),
        ...(o.sandbox ? { sandbox: true } : {}),
        say: (line) => void ctx.io.stderr.write(`${line}\n`),
        until: untilSignal(),
      });
    });
}
