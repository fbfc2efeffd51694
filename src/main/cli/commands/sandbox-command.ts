import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { defaultSandboxDir, INCIDENT_KINDS } from "../../sandbox/index.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint, invokeQuietly } from "../invoke-channel.ts";
import { untilSignal } from "../../process/until-signal.ts";
import { positiveInt, positiveNumber } from "./option-helpers.ts";

interface SandboxCommandOptions {
  dir?: string;
  incident?: string;
  reset?: boolean;
  scale: number;
  port?: number;
  retentionHours?: number;
  serve: boolean;
}

function sandboxText(v: ResultOf<"sandbox.start">, apiKey: string | undefined, dirGiven: boolean): string {
  const incident = v.incident;
  return [
    "",
    `Neon sandbox ${v.resumed ? "resumed" : "created"} in ${v.dir} (PostgreSQL ${v.pgVersion})`,
    `  API:      ${v.apiUrl}`,
    `  computes: 127.0.0.1:${v.proxyPort} (TLS; direct and -pooler endpoints, as on Neon)`,
    `  project:  ${v.projectId}`,
    `  branch:   main (${v.defaultBranchId}), database ${v.database}, role ${v.role}`,
    `  history:  restorable from ${v.earliestRestorable}`,
    "",
    v.apiKeyFromEnv
      ? `API key: the value of $${v.apiKeyEnv}.`
      : `API key (made now; set ${v.apiKeyEnv} before starting to choose your own):\n  export ${v.apiKeyEnv}=${apiKey}`,
    "Point a profile at it with this neon section (the key stays in the environment, never in the config file):",
    `  "neon": ${JSON.stringify(v.profileNeon)}`,
    `neonctl works too: NEON_API_KEY=$${v.apiKeyEnv} neonctl branches list --project-id ${v.projectId} --api-host ${v.apiUrl}`,
    `  its connection strings name ep-….localhost: PGHOSTADDR=127.0.0.1 PGPORT=${v.proxyPort} psql "$(neonctl connection-string …)"`,
    ...(incident
      ? [
          "",
          `Incident staged: ${incident.kind} on the default branch at ${incident.startedAt}`,
          `  ${incident.summary}`,
          `  last good second (the recovery point): ${incident.lastGoodSecond}`,
        ]
      : []),
    "",
    v.serving
      ? "Serving; Ctrl-C stops it (the folder keeps the sandbox; --reset starts over)."
      : `Stopped (--no-serve); \`lifeboat sandbox${dirGiven ? ` --dir ${v.dir}` : ""}\` resumes it.`,
  ].join("\n");
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
    .option(
      "--retention-hours <n>",
      "history retention of a fresh sandbox (default 168: the 7 days of the Launch plan it plays)",
      positiveNumber,
    )
    .option("--no-serve", "set up (and stage the incident), then stop; the next `lifeboat sandbox` resumes it")
    .action(async (o: SandboxCommandOptions) => {
      const request = {
        ...(o.dir ? { dir: o.dir } : {}),
        ...(o.reset ? { reset: true } : {}),
        scale: o.scale,
        ...(o.port ? { port: o.port } : {}),
        ...(o.retentionHours ? { retentionHours: o.retentionHours } : {}),
        ...(o.incident !== undefined ? { incident: o.incident } : {}),
        serve: o.serve,
      };
      let apiKey: string | undefined;
      const started = await invokeAndPrint(ctx, "sandbox.start", request, (v) => sandboxText(v, apiKey, !!o.dir), {
        notes: "stdout",
        // Shown once when it was made here: it is the only way to hand it to the shell that will use it.
        reveal: (name, value) => {
          if (name === "apiKey") apiKey = value;
        },
        jsonValue: (v) => ({ ...v, ...(apiKey ? { apiKey } : {}) }),
      });
      if (!started?.serving) return;
      await untilSignal();
      if (!ctx.json) ctx.io.stdout.write("Stopping the sandbox (archiving WAL, stopping computes)…\n");
      await invokeQuietly(ctx, "sandbox.stop", { ...(o.dir ? { dir: o.dir } : {}) });
    });
}
