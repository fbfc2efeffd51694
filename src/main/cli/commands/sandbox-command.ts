import type { Command } from "commander";
import { LifeboatError } from "../../../shared/errors.ts";
import {
  defaultSandboxDir,
  INCIDENT_KINDS,
  startSandbox,
  type IncidentKind,
  type IncidentRecord,
} from "../../sandbox/index.ts";
import { sandboxDirOf } from "../../session/session-places.ts";
import type { CliContext } from "../cli-context.ts";
import { printResult } from "../output.ts";
import { positiveInt } from "./option-helpers.ts";

/** The environment variable a profile's neon.apiKey points at ("env:LIFEBOAT_SANDBOX_API_KEY"). */
export const SANDBOX_KEY_ENV = "LIFEBOAT_SANDBOX_API_KEY";

interface SandboxCommandOptions {
  dir?: string;
  incident?: string;
  reset?: boolean;
  scale: number;
  port?: number;
  retentionHours?: number;
  serve: boolean;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`"${value}" is not a positive number`);
  return n;
}

function incidentLines(i: IncidentRecord): string[] {
  return [
    `Incident staged: ${i.kind} on the default branch at ${i.startedAt}`,
    `  ${i.summary}`,
    `  last good second (the recovery point): ${i.lastGoodSecond}`,
  ];
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (sig: string) => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve(sig);
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
  });
}

export function registerSandboxCommand(program: Command, ctx: CliContext): void {
  program
    .command("sandbox")
    .description(
      "a local Neon API backed by real PostgreSQL point-in-time recovery, seeded with the clinical sample database: practise every recovery with no cloud account",
    )
    .option("--dir <path>", `the sandbox folder (default: LIFEBOAT_SANDBOX_DIR or ${defaultSandboxDir()})`)
    .option("--incident <kind>", `stage an incident once it runs: ${INCIDENT_KINDS.join(" | ")}`)
    .option("--reset", "delete the sandbox and start a fresh one")
    .option(
      "--scale <n>",
      "sample data size of a fresh sandbox; 1 = the seed's 150 patients and 423 notes",
      positiveInt,
      1,
    )
    .option("--port <n>", "API port (default: the one used last time, or any free port)", positiveInt)
    .option("--retention-hours <n>", "history retention of a fresh sandbox (default 24)", positiveNumber)
    .option("--no-serve", "set up (and stage the incident), then stop; the next `lifeboat sandbox` resumes it")
    .action(async (o: SandboxCommandOptions) => {
      if (o.incident !== undefined && !INCIDENT_KINDS.includes(o.incident as IncidentKind)) {
        throw new LifeboatError(
          "USAGE",
          `unknown incident "${o.incident}"`,
          `Choose one of: ${INCIDENT_KINDS.join(", ")}.`,
        );
      }
      const say = (line: string) => {
        if (!ctx.json) ctx.io.stdout.write(line + "\n");
      };
      const keyFromEnv = ctx.io.env[SANDBOX_KEY_ENV];
      const sandbox = await startSandbox({
        dir: sandboxDirOf({ ...(o.dir ? { sandboxDir: o.dir } : {}), env: ctx.io.env }),
        ...(o.reset ? { reset: true } : {}),
        scale: o.scale,
        ...(o.port ? { port: o.port } : {}),
        ...(o.retentionHours ? { historyRetentionSeconds: Math.round(o.retentionHours * 3600) } : {}),
        ...(keyFromEnv ? { apiKey: keyFromEnv } : {}),
        say,
        ...(o.serve && !ctx.json
          ? {
              onRequest: (r) =>
                say(
                  `  ${r.method} ${r.path.split("?")[0]} -> ${r.status}${r.operationId ? ` (${r.operationId})` : ""}`,
                ),
            }
          : {}),
      });
      try {
        const incident = o.incident ? await sandbox.stageIncident(o.incident as IncidentKind) : undefined;
        const window = await sandbox.historyWindow();
        const neon = {
          projectId: sandbox.projectId,
          apiKey: `env:${SANDBOX_KEY_ENV}`,
          apiHost: sandbox.apiUrl,
          database: sandbox.database,
          role: sandbox.role,
        };
        const value = {
          dir: sandbox.dir,
          resumed: sandbox.resumed,
          serving: o.serve,
          apiUrl: sandbox.apiUrl,
          projectId: sandbox.projectId,
          defaultBranchId: sandbox.defaultBranchId,
          database: sandbox.database,
          role: sandbox.role,
          pgVersion: sandbox.pgVersion,
          earliestRestorable: window.earliest.toISOString(),
          apiKeyEnv: SANDBOX_KEY_ENV,
          // Shown once when it was made here: it is the only way to hand it to the shell that will use it.
          ...(keyFromEnv ? {} : { apiKey: sandbox.apiKey }),
          profileNeon: neon,
          incidents: sandbox.incidents(),
          ...(incident ? { incident } : {}),
        };
        printResult(ctx.io, ctx, value, (v) =>
          [
            "",
            `Neon sandbox ${v.resumed ? "resumed" : "created"} in ${v.dir} (PostgreSQL ${v.pgVersion})`,
            `  API:      ${v.apiUrl}`,
            `  project:  ${v.projectId}`,
            `  branch:   main (${v.defaultBranchId}), database ${v.database}, role ${v.role}`,
            `  history:  restorable from ${v.earliestRestorable}`,
            "",
            keyFromEnv
              ? `API key: the value of $${SANDBOX_KEY_ENV}.`
              : `API key (made now; set ${SANDBOX_KEY_ENV} before starting to choose your own):\n  export ${SANDBOX_KEY_ENV}=${sandbox.apiKey}`,
            "Point a profile at it with this neon section (the key stays in the environment, never in the config file):",
            `  "neon": ${JSON.stringify(neon)}`,
            `neonctl works too: NEON_API_KEY=$${SANDBOX_KEY_ENV} neonctl branches list --project-id ${v.projectId} --api-host ${v.apiUrl}`,
            ...(incident ? ["", ...incidentLines(incident)] : []),
            "",
            o.serve
              ? "Serving; Ctrl-C stops it (the folder keeps the sandbox; --reset starts over)."
              : `Stopped (--no-serve); \`lifeboat sandbox${o.dir ? ` --dir ${v.dir}` : ""}\` resumes it.`,
          ].join("\n"),
        );
        if (o.serve) {
          await waitForSignal();
          say("Stopping the sandbox (archiving WAL, stopping computes)…");
        }
      } finally {
        await sandbox.stop();
      }
    });
}
