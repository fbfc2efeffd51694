import type { Command } from "commander";
import type { ResultOf } from "../../../shared/api/channels.ts";
import type { JobPlan } from "../../../shared/schedule/job-plan-schema.ts";
import type { CliContext } from "../cli-context.ts";
import { invokeAndPrint } from "../invoke-channel.ts";
import { formatDuration, table } from "../output.ts";
import { collect } from "./option-helpers.ts";

const profilesOf = (o: { profile: string[] }) => (o.profile.length ? { profiles: o.profile } : {});

function lastText(p: JobPlan): string {
  const l = p.last;
  return l ? `${l.status} ${l.finishedAt ?? l.startedAt} on ${l.machine.host} (${l.machine.runner})` : "never";
}

function plansTable(plans: JobPlan[]): string {
  return table([
    ["PROFILE", "JOB", "SCHEDULE", "DUE", "NEXT", "LAST RUN"],
    ...plans.map((p) => [p.profile, p.job, `${p.at} (${p.timezone})`, p.due ? "yes" : "no", p.next, lastText(p)]),
  ]);
}

function runText(r: ResultOf<"schedule.run">): string {
  const lines = r.runs.map((o) => {
    const took = o.finishedAt ? formatDuration(Date.parse(o.finishedAt) - Date.parse(o.startedAt)) : "?";
    const tries = o.attempts.length > 1 ? `, ${o.attempts.length} tries` : "";
    return o.status === "ok"
      ? `${o.profile} ${o.job}: ok (${o.trigger}${o.missed ? `, ${o.missed} missed occurrence(s) folded in` : ""}${tries}, ${took})${o.result?.backupId ? ` backup ${o.result.backupId}` : ""}${o.result?.rtoMs !== undefined ? `, restore proven in ${formatDuration(o.result.rtoMs)}` : ""}`
      : `${o.profile} ${o.job}: FAILED after ${o.attempts.length} ${o.attempts.length === 1 ? "try" : "tries"}: ${o.error?.message ?? "?"}${o.error?.hint ? `\n  what to do: ${o.error.hint}` : ""}`;
  });
  for (const x of r.refused) lines.push(`${x.profile} ${x.job}: NOT STARTED: ${x.error.message}`);
  if (!r.runs.length && !r.refused.length)
    lines.push(
      `nothing is due: ${r.plans.map((p) => `${p.profile} ${p.job} next at ${p.next}`).join("; ") || "no scheduled jobs"}`,
    );
  for (const w of r.warnings) lines.push(`note: ${w}`);
  return lines.join("\n");
}

interface Selection {
  profile: string[];
  platform?: "systemd" | "launchd" | "windows";
  unitDir?: string;
  activate: boolean;
}

function platformRequest(o: Selection) {
  return {
    ...profilesOf(o),
    ...(o.platform ? { platform: o.platform } : {}),
    ...(o.unitDir ? { unitDir: o.unitDir } : {}),
  };
}

export function registerScheduleCommands(program: Command, ctx: CliContext): void {
  const schedule = program
    .command("schedule")
    .description(
      "run what is due, and install it in the platform's scheduler (systemd, launchd, Task Scheduler, Kubernetes)",
    );
  const withPlatform = (c: Command) =>
    c
      .option(
        "-p, --profile <name>",
        "only this profile (repeatable; default every profile with a schedule)",
        collect,
        [],
      )
      .option("--platform <name>", "systemd, launchd or windows (default: this machine's)")
      .option("--unit-dir <dir>", "where the unit files go (default: the platform's per-user folder)");

  schedule
    .command("run")
    .description(
      "run whatever is due now (what every scheduler calls); --force runs the selected jobs even when not due",
    )
    .option("-p, --profile <name>", "only this profile (repeatable)", collect, [])
    .option("--all", "every profile with a schedule (the default)")
    .option("--job <job>", "only this job: backup, verify, neon-test or drill")
    .option("--force", "run even when not due (still one run of a job at a time)")
    .option("--runner <name>", "what started it, recorded with the run (systemd, launchd, windows, kubernetes, cli)")
    .option("--metrics-textfile <path>", "afterwards, write the metrics for node_exporter's textfile collector (.prom)")
    .action(
      async (o: {
        profile: string[];
        job?: "backup" | "verify" | "neon-test" | "drill";
        force?: boolean;
        runner?: string;
        metricsTextfile?: string;
      }) => {
        const r = await invokeAndPrint(
          ctx,
          "schedule.run",
          {
            ...profilesOf(o),
            ...(o.job ? { job: o.job } : {}),
            ...(o.force ? { force: true } : {}),
            runner: o.runner ?? "cli",
          },
          runText,
          { exitCode: (v) => v.exitCode },
        );
        if (r && o.metricsTextfile) {
          const code = ctx.exitCode;
          await invokeAndPrint(
            ctx,
            "monitoring.metrics",
            { ...profilesOf(o), textfile: o.metricsTextfile, database: false, neon: false },
            (m) => `metrics written to ${m.textfile}`,
          );
          ctx.exitCode = code || ctx.exitCode;
        }
      },
    );

  withPlatform(schedule.command("status"))
    .description("the installed units, and for each scheduled job whether it is due, when next, and its last run")
    .action(async (o: Selection) => {
      await invokeAndPrint(ctx, "schedule.status", platformRequest(o), (s) =>
        [
          plansTable(s.plans),
          s.installed.length
            ? `${s.platform} units in ${s.unitDir}:\n${s.installed.map((f) => `  ${f}`).join("\n")}`
            : `no ${s.platform} units installed in ${s.unitDir} (lifeboat schedule install)`,
          ...s.warnings.map((w) => `note: ${w}`),
        ].join("\n"),
      );
    });

  withPlatform(schedule.command("install"))
    .description("write and activate one unit per profile and job in the platform's scheduler")
    .option("--no-activate", "only write the unit files; print the commands that activate them")
    .option("--metrics-textfile <path>", "each run also writes the metrics for node_exporter (.prom)")
    .action(async (o: Selection & { metricsTextfile?: string }) => {
      await invokeAndPrint(
        ctx,
        "schedule.install",
        {
          ...platformRequest(o),
          activate: o.activate,
          ...(o.metricsTextfile ? { metricsTextfile: o.metricsTextfile } : {}),
        },
        (r) =>
          [
            ...r.units.map((u) => `${u.name}: ${u.at}\n${u.files.map((f) => `  ${f}`).join("\n")}`),
            r.activated
              ? `activated (${r.platform}): ${r.commands.join(" && ")}`
              : `written, NOT active yet: run ${r.commands.join(" && ")}`,
          ].join("\n"),
      );
    });

  withPlatform(schedule.command("remove"))
    .description("deactivate and delete the units (backups and run records stay)")
    .option("--no-activate", "only delete the files")
    .action(async (o: Selection) => {
      await invokeAndPrint(ctx, "schedule.remove", { ...platformRequest(o), activate: o.activate }, (r) =>
        r.removed.length
          ? `removed from ${r.unitDir}:\n${r.removed.map((f) => `  ${f}`).join("\n")}`
          : `no Lifeboat units in ${r.unitDir}`,
      );
    });

  schedule
    .command("export")
    .description("Kubernetes CronJobs (one per profile and job), the config as a ConfigMap, and the image recipe")
    .requiredOption("--kubernetes", "export for Kubernetes (the only target)")
    .requiredOption("--out <dir>", "folder to write the manifests and the Dockerfile to")
    .requiredOption("--image <name>", "the image the CronJobs run, e.g. registry.example/lifeboat:0.1.0")
    .option("--namespace <ns>", "Kubernetes namespace", "lifeboat")
    .option("-p, --profile <name>", "only this profile (repeatable)", collect, [])
    .option(
      "--pg-major <n>",
      "a PostgreSQL major for the image (repeatable; default: those of the newest backups)",
      collect,
      [],
    )
    .action(async (o: { out: string; image: string; namespace: string; profile: string[]; pgMajor: string[] }) => {
      await invokeAndPrint(
        ctx,
        "schedule.export",
        {
          kubernetes: true,
          outDir: o.out,
          image: o.image,
          namespace: o.namespace,
          ...profilesOf(o),
          ...(o.pgMajor.length ? { pgMajors: o.pgMajor.map(Number) } : {}),
        },
        (r) =>
          [
            `wrote ${r.files.length} files to ${r.outDir} (PostgreSQL ${r.pgMajors.join(", ")} in the image)`,
            ...r.files.map((f) => `  ${f}`),
            `Secrets to create (no value is in any file): ${[...new Set(r.secrets.map((s) => `${s.secret}/${s.key}`))].join(", ")}`,
            "next:",
            ...r.commands.map((c) => `  ${c}`),
            ...r.warnings.map((w) => `note: ${w}`),
          ].join("\n"),
      );
    });
}
