import { z } from "zod";
import { JobKind } from "../../schedule/schedule-config.ts";
import { JobPlan, RunDueResult } from "../../schedule/job-plan-schema.ts";
import { channel, OperationId, ProfileName } from "../common-schemas.ts";

/** Profiles to act on: the named ones, or every profile that has a schedule. */
const Selection = { profiles: z.array(ProfileName).max(500).optional(), job: JobKind.optional() };

export const scheduleChannels = {
  "schedule.plan": channel({
    doc: "For each scheduled job (of the named profiles, or all): whether it is due now and why, when it runs next, and its last run (from the store, else this machine's records).",
    request: z.object(Selection).strict(),
    result: z.object({ generatedAt: z.string(), plans: z.array(JobPlan), warnings: z.array(z.string()) }),
  }),
  "schedule.run": channel({
    doc: "The one entry point every scheduler calls: runs whatever is due (never two runs of one job at once; catches up once after a gap; retries within the window, then alerts), journals each run and writes its outcome and journal records to the store. With force, runs the selected jobs even when not due. Streams progress.",
    long: true,
    request: z
      .object({
        ...Selection,
        force: z.boolean().optional(),
        /** What started it (systemd, launchd, windows, kubernetes, cli, console): recorded with every run. */
        runner: z
          .string()
          .regex(/^[a-z][a-z0-9-]{0,31}$/)
          .optional(),
        operationId: OperationId.optional(),
      })
      .strict(),
    result: RunDueResult,
  }),
};

const Platform = z.enum(["systemd", "launchd", "windows"]);
const PlatformSelection = {
  profiles: z.array(ProfileName).max(500).optional(),
  /** Default: this machine's (systemd on Linux, launchd on macOS, windows on Windows). */
  platform: Platform.optional(),
  /** Where the unit files go; default the platform's per-user folder. */
  unitDir: z.string().min(1).max(4096).optional(),
};
const Textfile = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.endsWith(".prom"), "node_exporter's textfile collector reads only files ending in .prom");

export const schedulePlatformChannels = {
  "schedule.install": channel({
    doc: "Writes the platform scheduler's units (systemd user timers with Persistent=true, a launchd agent, a Task Scheduler task), one per profile and job, each running `lifeboat schedule run` for its job, and activates them. When activation fails the files stay and the error names the commands that activate them.",
    request: z
      .object({ ...PlatformSelection, activate: z.boolean().optional(), metricsTextfile: Textfile.optional() })
      .strict(),
    result: z.object({
      platform: Platform,
      unitDir: z.string(),
      units: z.array(
        z.object({ profile: z.string(), job: JobKind, name: z.string(), at: z.string(), files: z.array(z.string()) }),
      ),
      activated: z.boolean(),
      commands: z.array(z.string()),
    }),
  }),
  "schedule.status": channel({
    doc: "The installed unit files, and for each scheduled job whether it is due, when it runs next and how its last run (on whichever machine) ended.",
    request: z.object(PlatformSelection).strict(),
    result: z.object({
      platform: Platform,
      unitDir: z.string(),
      installed: z.array(z.string()),
      plans: z.array(JobPlan),
      warnings: z.array(z.string()),
    }),
  }),
  "schedule.remove": channel({
    doc: "Deactivates and deletes the units (of the named profiles, or all of Lifeboat's). Backups and run records stay.",
    request: z.object({ ...PlatformSelection, activate: z.boolean().optional() }).strict(),
    result: z.object({
      platform: Platform,
      unitDir: z.string(),
      removed: z.array(z.string()),
      commands: z.array(z.string()),
    }),
  }),
  "schedule.export": channel({
    doc: "Kubernetes: a CronJob per profile and job (concurrencyPolicy Forbid, startingDeadlineSeconds, resource limits, secrets from Kubernetes Secrets through env references, no secret in any manifest), the config as a ConfigMap, and the container image recipe (Node, the PostgreSQL tools of each needed major, zstd).",
    request: z
      .object({
        kubernetes: z.literal(true),
        profiles: z.array(ProfileName).max(500).optional(),
        outDir: z.string().min(1).max(4096),
        image: z.string().min(1).max(512),
        namespace: z
          .string()
          .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
          .max(63)
          .optional(),
        /** PostgreSQL majors for the image; default: those of the newest backups in the stores. */
        pgMajors: z.array(z.number().int().min(10).max(30)).max(10).optional(),
      })
      .strict(),
    result: z.object({
      outDir: z.string(),
      files: z.array(z.string()),
      pgMajors: z.array(z.number()),
      secrets: z.array(z.object({ profile: z.string(), secret: z.string(), key: z.string(), ref: z.string() })),
      /** What to run next: build the image, create the Secrets (values typed by you), apply. */
      commands: z.array(z.string()),
      warnings: z.array(z.string()),
    }),
  }),
};
