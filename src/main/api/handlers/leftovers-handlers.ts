import { cleanUpLeftovers } from "../../incidents/clean-up.ts";
import { listLeftovers, madeInIncident } from "../../incidents/leftovers.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { neonRunOptions } from "../../neon/run-options.ts";

/** The incident named, or the open one, or none (then nothing is marked as the incident's). */
async function incidentOf(ctx: HandlerContext, incident: string | undefined): Promise<string | undefined> {
  if (incident) return incident;
  const j = await ctx.journal();
  await j.refresh();
  return j.currentIncident();
}

/** The leftovers of an incident, for the close's reminder too. */
export async function leftoversFor(ctx: HandlerContext, incident: string | undefined, profile: string | undefined) {
  const p = await ctx.profile(profile);
  return listLeftovers(
    p,
    await madeInIncident(ctx.reader(), incident),
    (n) => ctx.profile(n),
    neonRunOptions({}, ctx.engine()),
    ctx.engine(),
    ctx.now(),
  );
}

export const leftoversHandlers: HandlerGroup<"incidents.leftovers" | "incidents.cleanUp"> = {
  "incidents.leftovers": async ({ profile, incident }, ctx) =>
    leftoversFor(ctx, await incidentOf(ctx, incident), profile),
  "incidents.cleanUp": async ({ profile, branches, databases }, ctx) => {
    const p = await ctx.profile(profile);
    // A database may be dropped if any restore journaled here created it (also in an incident closed by now).
    const made = await madeInIncident(ctx.reader(), "journal");
    return cleanUpLeftovers(
      p,
      { branches, databases },
      made,
      (n) => ctx.profile(n),
      neonRunOptions({}, ctx.engine()),
      ctx.engine(),
    );
  },
};
