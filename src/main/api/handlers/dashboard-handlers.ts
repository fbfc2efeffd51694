import type { Profile } from "../../../shared/config.ts";
import { getProfile } from "../../config/config-store.ts";
import { alertSummary, healthSummary, type SummaryDeps } from "../../health/health-summary.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

async function pick(ctx: HandlerContext, names: string[] | undefined): Promise<Profile[]> {
  const cfg = await ctx.config();
  return names ? names.map((n) => getProfile(cfg, n)) : cfg.profiles;
}

const depsOf = (ctx: HandlerContext): SummaryDeps => ({
  engine: ctx.engine(),
  store: ctx.store,
  journal: ctx.reader(),
  now: ctx.now(),
});

export const dashboardHandlers: HandlerGroup<"dashboard.summary" | "alerts.list"> = {
  "dashboard.summary": async ({ profiles, timeoutMs }, ctx) =>
    healthSummary(await pick(ctx, profiles), depsOf(ctx), timeoutMs),
  "alerts.list": async ({ profiles }, ctx) => alertSummary(await pick(ctx, profiles), depsOf(ctx)),
};
