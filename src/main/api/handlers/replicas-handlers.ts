import { replicate } from "../../replicas/replicate.ts";
import { whereBackupsAre } from "../../replicas/where-backups-are.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const replicasHandlers: HandlerGroup<"replicas.run" | "replicas.where"> = {
  "replicas.run": async ({ profile, replica }, ctx) => ({
    replicas: await replicate(await ctx.profile(profile), ctx.engine(), replica ? { replica } : {}),
  }),
  "replicas.where": async ({ profile }, ctx) => whereBackupsAre(await ctx.profile(profile), ctx.engine()),
};
