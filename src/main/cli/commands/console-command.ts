import { resolve } from "node:path";
import type { Command } from "commander";
import { LifeboatError } from "../../../shared/errors.ts";
import { chooseShell, electronBinary, launchDesktop } from "../../console/launch-desktop.ts";
import { enterOnTerminal, runConsole } from "../../console/run-console.ts";
import { untilSignal } from "../../process/until-signal.ts";
import type { CliContext } from "../cli-context.ts";
import { positiveInt } from "./option-helpers.ts";

interface ConsoleFlags {
  open: boolean;
  port?: number;
  sandbox?: boolean;
  dir?: string;
  browser?: boolean;
}

export function registerConsoleCommand(program: Command, ctx: CliContext): void {
  program
    .command("console")
    .description(
      "the operator console: the desktop app where Electron is installed, else in your browser (served on 127.0.0.1 only, opened with a one-time session link)",
    )
    .option("--browser", "use the browser even where the desktop app is available")
    .option("--no-open", "browser: print the link instead of opening the default browser")
    .option("--port <n>", "browser: listen on this port (default: a random free one)", positiveInt)
    .option(
      "--sandbox",
      "practise: start the local Neon sandbox and a local S3 with a ready profile (no cloud account, your own profiles untouched)",
    )
    .option(
      "--dir <path>",
      "with --sandbox: the practice world's folder (default: your own, LIFEBOAT_SANDBOX_DIR, else under your data folder)",
    )
    .action(async (o: ConsoleFlags) => {
      // --sandbox is also the global option that points any command at the practice world.
      const { configPath, sandbox: globalSandbox } = ctx.sessionOptions();
      const sandbox = !!o.sandbox || !!globalSandbox;
      if (o.dir && !sandbox)
        throw new LifeboatError(
          "USAGE",
          "--dir is the practice world's folder: it goes with --sandbox.",
          "Run: lifeboat console --sandbox --dir <folder>",
        );
      const sandboxDir = o.dir ? resolve(o.dir) : undefined;
      const say = (line: string): void => void ctx.io.stderr.write(`${line}\n`);
      // Asking for a port or for no browser window means the browser host.
      const shell = chooseShell({ browser: !!o.browser || !o.open || o.port !== undefined, binary: electronBinary() });
      if (shell.kind === "desktop") {
        ctx.exitCode = await launchDesktop(shell.binary, sandbox ? ["--sandbox"] : [], {
          ...ctx.io.env,
          LIFEBOAT_CONFIG: ctx.configPath,
          ...(sandboxDir ? { LIFEBOAT_SANDBOX_DIR: sandboxDir } : {}),
        });
        return;
      }
      if (shell.reason) say(shell.reason);
      const enter = enterOnTerminal();
      await runConsole({
        ...(configPath ? { configPath } : {}),
        env: ctx.io.env,
        open: o.open,
        ...(o.port ? { port: o.port } : {}),
        ...(sandbox ? { sandbox: true } : {}),
        ...(sandboxDir ? { sandboxDir } : {}),
        say,
        until: untilSignal(),
        ...(enter ? { newLinkOnEnter: enter } : {}),
      });
    });
}
