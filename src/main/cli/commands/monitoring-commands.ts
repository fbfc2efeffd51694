import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import { redactText } from "../../secrets/redact.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatBytes, table } from "../output.ts";
import { collect, positiveInt } from "./option-helpers.ts";

interface ProbeFlags {
  profile: string[];
  database: boolean;
  neon: boolean;
  timeout?: number;
}

function probeRequest(o: ProbeFlags) {
  return {
    ...(o.profile.length ? { profiles: o.profile } : {}),
    database: o.database,
    neon: o.neon,
    ...(o.timeout ? { timeoutMs: o.timeout * 1000 } : {}),
  };
}

const withProbes = (c: Command) =>
  c
    .option("-p, --profile <name>", "only this profile (repeatable; default all)", collect, [])
    .option("--no-database", "do not connect to the databases")
    .option("--no-neon", "do not ask Neon")
    .option("--timeout <seconds>", "time limit of each part", positiveInt);

function fleetText(f: ResultOf<"fleet.view">): string {
  const rows = f.profiles.map((p) => {
    const j = p.jobs;
    const run = (k: keyof typeof j) => (j[k] ? `${j[k]!.status} on ${j[k]!.machine.host}` : "-");
    return [
      p.profile,
      p.state,
      p.lastBackup?.finishedAt ?? "none",
      run("backup"),
      p.lastTest ? `${p.lastTest.kind} ${p.lastTest.ok ? "passed" : "FAILED"} ${p.lastTest.at}` : "-",
      p.lastProvenRestore?.at ?? "never",
      p.store.bytes !== undefined ? formatBytes(p.store.bytes) : "unreachable",
      String(p.alerts.length),
    ];
  });
  return table([
    ["PROFILE", "STATE", "LAST BACKUP", "SCHEDULED BACKUP", "LAST TEST", "PROVEN RESTORE", "STORE", "ALERTS"],
    ...rows,
  ]);
}

export function registerMonitoringCommands(program: Command, ctx: CliContext): void {
  withProbes(program.command("check"))
    .description(
      "one line and the monitoring exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) for Nagios/Icinga: backup age against each profile's cadence, the last proven restore, failed runs and tests, size drop, quota, database, Neon protection",
    )
    .action(async (o: ProbeFlags) => {
      const session = await ctx.session();
      const r = await session.invoke("monitoring.check", probeRequest(o), {
        ...(ctx.io.signal ? { signal: ctx.io.signal } : {}),
      });
      if (ctx.json) ctx.io.stdout.write(JSON.stringify(r, null, 2) + "\n");
      if (r.ok) {
        if (!ctx.json) ctx.io.stdout.write(`${r.value.line}\n`);
        ctx.exitCode = r.value.code;
      } else {
        // The plugin convention: a check that could not be made is UNKNOWN (3), one line, with why.
        if (!ctx.json)
          ctx.io.stdout.write(`LIFEBOAT UNKNOWN - ${redactText(r.error.message).replace(/\s*\n\s*/g, " ")}\n`);
        ctx.exitCode = 3;
      }
    });

  withProbes(program.command("metrics"))
    .description("the Prometheus metrics: printed, written for node_exporter's textfile collector, or served on a port")
    .option("--textfile <path>", "write them atomically to this .prom file")
    .option("--serve <port>", "serve them at http://<host>:<port>/metrics until stopped", (v) => Number(v))
    .option("--host <address>", "address to serve on", "127.0.0.1")
    .action(async (o: ProbeFlags & { textfile?: string; serve?: number; host: string }) => {
      const request = { ...probeRequest(o), ...(o.textfile ? { textfile: o.textfile } : {}) };
      if (o.serve === undefined) {
        await invokeAndPrint(ctx, "monitoring.metrics", request, (m) =>
          m.textfile ? `metrics written to ${m.textfile} (state ${m.state})` : m.text,
        );
        return;
      }
      const session = await ctx.session();
      // prom-client is loaded by the commands that print metrics, not by `check`.
      const { serveMetrics } = await import("../../monitoring/metrics.ts");
      const served = await serveMetrics(
        async () => {
          const r = await session.invoke("monitoring.metrics", request);
          if (!r.ok) throw new Error(r.error.message);
          return r.value;
        },
        { port: o.serve, host: o.host },
      );
      ctx.io.stderr.write(`serving ${served.url} (Ctrl-C stops)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        ctx.io.signal?.addEventListener("abort", stop, { once: true });
      });
      await served.close();
    });

  program
    .command("fleet")
    .description(
      "every profile's last backup, test, proven restore, scheduled runs (and where they ran) and alerts, from the stores",
    )
    .option("-p, --profile <name>", "only this profile (repeatable)", collect, [])
    .action(async (o: { profile: string[] }) => {
      await invokeAndPrint(ctx, "fleet.view", o.profile.length ? { profiles: o.profile } : {}, fleetText);
    });
}
