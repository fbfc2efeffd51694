import { Command, CommanderError } from "commander";
import { EXIT_CODES, exitCodeFor, isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import { refuseSecretInArgv } from "../secrets/refuse-secret-in-argv.ts";
import { LIFEBOAT_VERSION } from "../version.ts";
import { CliContext, type GlobalOptions } from "./cli-context.ts";
import { processIo, type CliIo } from "./cli-io.ts";
import { registerBackupCommands } from "./commands/backup-commands.ts";
import { registerConsoleCommand } from "./commands/console-command.ts";
import { registerDemoCommand } from "./commands/demo-command.ts";
import { registerDrillCommands } from "./commands/drill-commands.ts";
import { registerForensicsCommands } from "./commands/forensics-commands.ts";
import { registerKeysCommands } from "./commands/keys-commands.ts";
import { registerNeonCommands } from "./commands/neon-commands.ts";
import { registerProfileCommands } from "./commands/profile-commands.ts";
import { registerSandboxCommand } from "./commands/sandbox-command.ts";
import { registerSecretCommands } from "./commands/secret-commands.ts";
import { registerToolsCommand } from "./commands/tools-command.ts";
import { registerVerifyRestoreCommands } from "./commands/verify-restore-commands.ts";
import { printError } from "./output.ts";

export function buildProgram(ctx: CliContext): Command {
  const program = new Command("lifeboat")
    .description("Disaster recovery for PostgreSQL on Neon, with S3 as the off-site store")
    .version(LIFEBOAT_VERSION)
    .option("--config <path>", "config file (default: the OS per-user config folder; or LIFEBOAT_CONFIG)")
    .option("--json", "machine-readable output: {ok, value} or {ok:false, error}")
    .option("--no-progress", "no progress display on the terminal")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s), outputError: () => undefined });
  registerProfileCommands(program, ctx);
  registerSecretCommands(program, ctx);
  registerKeysCommands(program, ctx);
  registerBackupCommands(program, ctx);
  registerVerifyRestoreCommands(program, ctx);
  registerNeonCommands(program, ctx);
  registerDrillCommands(program, ctx);
  registerForensicsCommands(program, ctx);
  registerToolsCommand(program, ctx);
  registerDemoCommand(program, ctx);
  registerSandboxCommand(program, ctx);
  registerConsoleCommand(program, ctx);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s), outputError: () => undefined });
  return program;
}

/** Runs the CLI and returns the exit code; documented in the README ("Exit codes"). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let program: Command | undefined;
  const ctx = new CliContext(io, () => (program?.opts() ?? {}) as GlobalOptions);
  const json = argv.includes("--json");
  try {
    refuseSecretInArgv(argv);
    program = buildProgram(ctx);
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return EXIT_CODES.OK;
      printError(io, { json }, new LifeboatError("USAGE", e.message.replace(/^error: /, ""), "Run `lifeboat --help` or `lifeboat <command> --help`."));
      return EXIT_CODES.USAGE;
    }
    printError(io, { json }, e);
    return isLifeboatError(e) ? exitCodeFor(e.code) : EXIT_CODES.INTERNAL;
  } finally {
    await ctx.close().catch(() => undefined);
  }
}
