import { fixLeftovers, findings, scanLeftovers, type DoctorDeps } from "../../doctor/doctor.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

async function deps(profile: string | undefined, ctx: HandlerContext): Promise<DoctorDeps> {
  const profiles = profile ? [await ctx.profile(profile)] : (await ctx.config()).profiles;
  return { profiles, ctx: ctx.engine(), reader: ctx.reader(), journal: ctx.journal, now: ctx.now() };
}

export const doctorHandlers: HandlerGroup<"doctor.scan" | "doctor.fix"> = {
  "doctor.scan": async ({ profile }, ctx) => {
    const scan = await scanLeftovers(await deps(profile, ctx));
    return { findings: findings(scan), checked: scan.checked, unchecked: scan.unchecked };
  },
  "doctor.fix": async ({ profile, ids }, ctx) => fixLeftovers(await deps(profile, ctx), ids),
};
