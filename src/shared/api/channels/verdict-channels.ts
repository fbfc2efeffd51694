import { z } from "zod";
import { channel, ProfileName } from "../common-schemas.ts";
import { JournalRecord } from "../journal-schemas.ts";

export const verdictChannels = {
  "drill.verdict": channel({
    doc:
      "The weekly backup test's one verdict, computed from what the test journaled in the incident (named, or the open one): " +
      "PASS only when the Neon drill (for a profile with Neon) and the deep verify of the newest backup both passed; a step " +
      "skipped or never run is a FAIL that says so. The operator's note is recorded with it and never changes it. Journaled " +
      "as backup-test.verdict.",
    request: z
      .object({
        profile: ProfileName.optional(),
        incident: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional(),
        note: z.string().max(10000).optional(),
      })
      .strict(),
    result: z.object({
      pass: z.boolean(),
      verdict: z.enum(["PASS", "FAIL"]),
      reason: z.string(),
      checks: z.array(
        z.object({ name: z.string(), pass: z.boolean(), detail: z.string(), seq: z.number().optional() }),
      ),
      record: JournalRecord,
    }),
  }),
};
