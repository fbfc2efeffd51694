import { sortAlerts } from "../../alerts/compute-alerts.ts";
import type { Profile } from "../../../shared/config.ts";
import { getProfile } from "../../config/config-store.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { neonWindowFor } from "../neon-engine.ts";
import { profileHealth } from "../profile-health.ts";

const DEFAULT_TIMEOUT_MS = 5000;

async function pick(ctx: HandlerContext, names: string[] | undefined): Promise<Profile[]> {
  const cfg = await ctx.config();
  return names ? names.map((n) => getProfile(cfg, n)) : cfg.profiles;
}

async function summarize(ctx: HandlerContext, names: string[] | undefined, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const t0 = performance.now();
  const now = ctx.now();
  const engine = ctx.engine();
  const profiles = await pick(ctx, names);
  const health = await Promise.all(
    profiles.map((p) =>
      profileHealth(p, {
        resolveSecret: engine.resolveSecret,
        store: ctx.store,
        journal: ctx.reader(),
        now,
        timeoutMs,
        neonWindow: (np) => neonWindowFor(np, engine),
      }),
    ),
  );
  return { generatedAt: now.toISOString(), profiles: health, durationMs: Math.round(performance.now() - t0) };
}

export const dashboardHandlers: HandlerGroup<"dashboard.summary" | "alerts.list"> = {
  "dashboard.summary": async ({ profiles, timeoutMs }, ctx) => summarize(ctx, profiles, timeoutMs),
  "alerts.list": async ({ profiles }, ctx) => {
    const s = await summarize(ctx, profiles);
    return { generatedAt: s.generatedAt, alerts: sortAlerts(s.profiles.flatMap((p) => p.alerts)) };
  },
};
