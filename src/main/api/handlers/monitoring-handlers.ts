import { resolve } from "node:path";
import type { Profile } from "../../../shared/config.ts";
import { runCheck } from "../../monitoring/check.ts";
import { fleetFacts, type FactsOptions } from "../../monitoring/profile-facts.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

const DEFAULT_TIMEOUT_MS = 10_000;

async function pick(ctx: HandlerContext, names: string[] | undefined): Promise<Profile[]> {
  return names ? Promise.all(names.map((n) => ctx.profile(n))) : (await ctx.config()).profiles;
}

function options(
  ctx: HandlerContext,
  r: { timeoutMs?: number | undefined; database?: boolean | undefined; neon?: boolean | undefined },
): FactsOptions {
  return {
    ctx: ctx.engine(),
    store: ctx.store,
    journal: ctx.reader(),
    now: ctx.now(),
    timeoutMs: r.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    database: r.database ?? true,
    neon: r.neon ?? true,
  };
}

export const monitoringHandlers: HandlerGroup<"monitoring.check" | "monitoring.metrics" | "fleet.view"> = {
  "monitoring.check": async (r, ctx) => runCheck(await pick(ctx, r.profiles), options(ctx, r)),
  "monitoring.metrics": async (r, ctx) => {
    const o = options(ctx, r);
    // prom-client is loaded here, not by `check`, which shares this module.
    const { renderMetrics, writeTextfile } = await import("../../monitoring/metrics.ts");
    const check = await runCheck(await pick(ctx, r.profiles), o);
    const m = await renderMetrics(check.profiles, o.now);
    const textfile = r.textfile ? resolve(r.textfile) : undefined;
    if (textfile) await writeTextfile(textfile, m.text);
    return { ...m, state: check.state, ...(textfile ? { textfile } : {}) };
  },
  "fleet.view": async (r, ctx) => {
    const t0 = performance.now();
    const o = { ...options(ctx, r), database: false, neon: false };
    const profiles = await fleetFacts(await pick(ctx, r.profiles), o);
    return { generatedAt: o.now.toISOString(), profiles, durationMs: Math.round(performance.now() - t0) };
  },
};
