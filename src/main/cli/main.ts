import { Command, CommanderError } from "commander";
import { EXIT_CODES, exitCodeFor, isLifeboatError, LifeboatError } from "../../shared/errors.ts";
import { refuseSecretInArgv } from "../secrets/refuse-secret-in-argv.ts";
import { LIFEBOAT_VERSION } from "../version.ts";
import { CliContext, type GlobalOptions } from "./cli-context.ts";
import { processIo, type CliIo } from "./cli-io.ts";
import { printError } from "./output.ts";
import { exitCodeAfterSignals } from "./interrupts.ts";

type Register = (program: Command, ctx: CliContext) => void;

// Each top-level command's module, loaded only when that command runs: the engine behind `backup` (AWS SDK, pg, the
// keychain) costs a second of start-up that `lifeboat journal list` at 3 a.m. should not pay. Help loads them all.
const COMMAND_MODULES: Record<string, () => Promise<Register>> = {
  profile: async () => (await import("./commands/profile-commands.ts")).registerProfileCommands,
  secret: async () => (await import("./commands/secret-commands.ts")).registerSecretCommands,
  keys: async () => (await import("./commands/keys-commands.ts")).registerKeysCommands,
  backup: async () => (await import("./commands/backup-commands.ts")).registerBackupCommands,
  backups: async () => (await import("./commands/backup-commands.ts")).registerBackupCommands,
  verify: async () => (await import("./commands/verify-restore-commands.ts")).registerVerifyRestoreCommands,
  restore: async () => (await import("./commands/verify-restore-commands.ts")).registerVerifyRestoreCommands,
  neon: async () => (await import("./commands/neon-commands.ts")).registerNeonCommands,
  drill: async () => (await import("./commands/drill-commands.ts")).registerDrillCommands,
  forensics: async () => (await import("./commands/forensics-commands.ts")).registerForensicsCommands,
  journal: async () => (await import("./commands/journal-commands.ts")).registerJournalCommands,
  incident: async () => (await import("./commands/incident-commands.ts")).registerIncidentCommands,
  tools: async () => (await import("./commands/tools-command.ts")).registerToolsCommand,
  demo: async () => (await import("./commands/demo-command.ts")).registerDemoCommand,
  sandbox: async () => (await import("./commands/sandbox-command.ts")).registerSandboxCommand,
  console: async () => (await import("./commands/console-command.ts")).registerConsoleCommand,
  schedule: async () => (await import("./commands/schedule-commands.ts")).registerScheduleCommands,
  check: async () => (await import("./commands/monitoring-commands.ts")).registerMonitoringCommands,
  metrics: async () => (await import("./commands/monitoring-commands.ts")).registerMonitoringCommands,
  fleet: async () => (await import("./commands/monitoring-commands.ts")).registerMonitoringCommands,
  prune: async () => (await import("./commands/prune-command.ts")).registerPruneCommand,
  replicate: async () => (await import("./commands/replicate-command.ts")).registerReplicateCommand,
  attachments: async () => (await import("./commands/attachments-commands.ts")).registerAttachmentsCommands,
  report: async () => (await import("./commands/report-commands.ts")).registerReportCommands,
  runbooks: async () => (await import("./commands/report-commands.ts")).registerRunbookCommands,
  doctor: async () => (await import("./commands/doctor-command.ts")).registerDoctorCommand,
  "local-s3": async () => (await import("./commands/local-s3-command.ts")).registerLocalS3Command,
};

const GLOBAL_WITH_VALUE = new Set(["--config"]);

/** The registrations a command line needs: its command's module, or every module (help, unknown commands). */
export async function registrationsFor(argv: string[]): Promise<Register[]> {
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(a)) i++;
    else if (!a.startsWith("-")) {
      name = a;
      break;
    }
  }
  if (!name && (argv.includes("--version") || argv.includes("-V"))) return [];
  const one = name ? COMMAND_MODULES[name] : undefined;
  const loaders = one ? [one] : Object.values(COMMAND_MODULES);
  return [...new Set(await Promise.all(loaders.map((l) => l())))];
}

export function buildProgram(ctx: CliContext, registrations: Register[]): Command {
  const program = new Command("lifeboat")
    .description("Disaster recovery for PostgreSQL on Neon, with S3 as the off-site store")
    .version(LIFEBOAT_VERSION)
    .option("--config <path>", "config file (default: the OS per-user config folder; or LIFEBOAT_CONFIG)")
    .option("--json", "machine-readable output: {ok, value} or {ok:false, error}")
    .option("--no-progress", "no progress display on the terminal")
    .option(
      "--sandbox",
      "work on the practice world of `lifeboat console --sandbox` (its config, journal and exports; LIFEBOAT_SANDBOX_DIR names its sandbox folder)",
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: () => undefined,
    });
  for (const register of registrations) register(program, ctx);
  for (const c of program.commands)
    c.exitOverride().configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
      outputError: () => undefined,
    });
  return program;
}

/** Runs the CLI and returns the exit code; documented in the README ("Exit codes"). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let program: Command | undefined;
  const ctx = new CliContext(io, () => (program?.opts() ?? {}) as GlobalOptions);
  const json = argv.includes("--json");
  try {
    refuseSecretInArgv(argv);
    program = buildProgram(ctx, await registrationsFor(argv));
    await program.parseAsync(argv, { from: "user" });
    return exitCodeAfterSignals(ctx.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
        return EXIT_CODES.OK;
      printError(
        io,
        { json },
        new LifeboatError(
          "USAGE",
          e.message.replace(/^error: /, ""),
          "Run `lifeboat --help` or `lifeboat <command> --help`.",
        ),
      );
      return EXIT_CODES.USAGE;
    }
    printError(io, { json }, e);
    return exitCodeAfterSignals(isLifeboatError(e) ? exitCodeFor(e.code) : EXIT_CODES.INTERNAL);
  } finally {
    await ctx.close().catch(() => undefined);
  }
}
