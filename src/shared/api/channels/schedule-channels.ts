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
