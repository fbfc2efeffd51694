import { writableIncident } from "../../incidents/incident-actions.ts";
import { weeklyVerdict } from "../../drills/weekly-verdict.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const verdictHandlers: HandlerGroup<"drill.verdict"> = {
  "drill.verdict": async ({ profile, incident, note }, ctx) => {
    const j = await ctx.journal();
    return weeklyVerdict(j, await ctx.profile(profile), {
      incident: await writableIncident(j, incident),
      ...(note ? { note } : {}),
    });
  },
};
