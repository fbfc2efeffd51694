import { z } from "zod";
import { channel, ProfileName } from "../common-schemas.ts";

export const DoctorFindingKind = z.enum([
  "unfinished-upload",
  "uncommitted-backup",
  "open-record",
  "staging-database",
  "stale-lock",
  "temp-folder",
]);

/** One thing a killed or failed run left behind; `fix` says what `doctor.fix` would do about it. */
export const DoctorFinding = z.object({
  /** Stable for the same leftover across scans: "<kind>:<where>". */
  id: z.string(),
  kind: DoctorFindingKind,
  profile: z.string().optional(),
  what: z.string(),
  fix: z.string(),
});
export type DoctorFinding = z.infer<typeof DoctorFinding>;

export const doctorChannels = {
  "doctor.scan": channel({
    doc: "Read-only housekeeping scan: unfinished multipart uploads and uncommitted backup objects in each profile's store, journal records left 'started' by killed runs, staging databases on each profile's server, stale lock files, and private temporary folders of dead restores.",
    request: z.object({ profile: ProfileName.optional() }).strict(),
    result: z.object({
      findings: z.array(DoctorFinding),
      /** What was looked at. */
      checked: z.array(z.string()),
      /** What could not be looked at, and why (an unreachable server): its leftovers are not in `findings`. */
      unchecked: z.array(z.string()),
    }),
  }),
  "doctor.fix": channel({
    doc: "Cleans the findings named by id (as a fresh scan finds them: nothing else is ever touched); each fix is journaled. The operator confirms in the face before calling it.",
    request: z
      .object({ profile: ProfileName.optional(), ids: z.array(z.string().min(1).max(2000)).min(1).max(10_000) })
      .strict(),
    result: z.object({
      fixed: z.array(z.object({ id: z.string(), done: z.string() })),
      failed: z.array(z.object({ id: z.string(), error: z.string() })),
      /** Ids the fresh scan did not find (already cleaned, or never there). */
      gone: z.array(z.string()),
    }),
  }),
};
