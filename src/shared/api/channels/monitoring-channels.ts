import { z } from "zod";
import { CheckResult, ProfileFacts } from "../../monitoring/monitoring-schemas.ts";
import { channel, ProfileName } from "../common-schemas.ts";

const Selection = {
  /** The named profiles, or all. */
  profiles: z.array(ProfileName).max(1000).optional(),
  /** Each part's time limit. */
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
};

/** What `check` and the metrics look at besides the stores (both default true). */
const Probes = {
  database: z.boolean().optional(),
  neon: z.boolean().optional(),
};

export const monitoringChannels = {
  "monitoring.check": channel({
    doc: "lifeboat check: each profile's store, backup age against its own cadence, last proven restore, failed scheduled runs and tests, size drop, quota, database, and on Neon a protected production branch and a snapshot schedule; one Nagios-style line and state (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).",
    request: z.object({ ...Selection, ...Probes }).strict(),
    result: CheckResult,
  }),
  "monitoring.metrics": channel({
    doc: "The same facts as Prometheus text (prom-client); with textfile (a path ending in .prom), also written there atomically for node_exporter's textfile collector.",
    request: z
      .object({
        ...Selection,
        ...Probes,
        textfile: z
          .string()
          .min(1)
          .max(4096)
          .refine((p) => p.endsWith(".prom"), "node_exporter's textfile collector reads only files ending in .prom")
          .optional(),
      })
      .strict(),
    result: z.object({ text: z.string(), contentType: z.string(), textfile: z.string().optional(), state: z.string() }),
  }),
  "fleet.view": channel({
    doc: "Every profile's last backup, last test, last proven restore, last scheduled run of each job (with the machine that ran it), store size and open alerts, read from the stores (and this machine's journal): what any laptop sees during an outage.",
    request: z.object(Selection).strict(),
    result: z.object({ generatedAt: z.string(), profiles: z.array(ProfileFacts), durationMs: z.number() }),
  }),
};
