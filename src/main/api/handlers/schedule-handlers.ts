import type { Profile } from "../../../shared/config.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import { planDue, runDue } from "../../schedule/run-due.ts";
import { realSleep, type RunnerDeps } from "../../schedule/runner-deps.ts";
import { scheduleStateDir } from "../../schedule/state-dir.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { schedulePlatformHandlers } from "./schedule-platform-handlers.ts";
import type { ChannelName } from "../../../shared/api/channels.ts";

async function scheduled(ctx: HandlerContext, names: string[] | undefined): Promise<Profile[]> {
  const cfg = await ctx.config();
  if (names) return Promise.all(names.map((n) => ctx.profile(n)));
  const withSchedule = cfg.profiles.filter((p) => p.schedule);
  if (!withSchedule.length)
    throw new LifeboatError(
      "CONFIG_INVALID",
      "no profile has a schedule",
      'Add a "schedule" section to a profile (for example "schedule": {"backup": "daily at 02:00"}) in settings or the config file.',
    );
  return withSchedule;
}

async function runnerDeps(ctx: HandlerContext, runner: string): Promise<RunnerDeps> {
  const { journal: _journal, ...engine } = ctx.engine();
  const journal = await ctx.journal();
  return {
    journal,
    engine,
    store: ctx.store,
    stateDir: scheduleStateDir(journal.dir),
    runner,
    now: ctx.now,
    sleep: realSleep,
  };
}

export const scheduleHandlers: HandlerGroup<Extract<ChannelName, `schedule.${string}`>> = {
  ...schedulePlatformHandlers,
  "schedule.plan": async ({ profiles, job }, ctx) => {
    const r = await planDue(await scheduled(ctx, profiles), {
      store: ctx.store,
      stateDir: scheduleStateDir(ctx.reader().dir),
      now: ctx.now,
    });
    return {
      generatedAt: ctx.now().toISOString(),
      plans: r.plans.filter((p) => !job || p.job === job),
      warnings: r.warnings,
    };
  },
  "schedule.run": async ({ profiles, job, force, runner }, ctx) =>
    runDue(await scheduled(ctx, profiles), await runnerDeps(ctx, runner ?? ctx.deps.shell), {
      ...(job ? { job } : {}),
      ...(force ? { force } : {}),
    }),
};
