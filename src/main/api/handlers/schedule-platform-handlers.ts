import { LifeboatError } from "../../../shared/errors.ts";
import { exportKubernetes } from "../../schedule/platforms/export-kubernetes.ts";
import {
  defaultPlatform,
  defaultUnitDir,
  installedUnitFiles,
  installSchedule,
  removeSchedule,
  type PlatformOptions,
} from "../../schedule/platforms/install-schedule.ts";
import { planDue } from "../../schedule/run-due.ts";
import { scheduleStateDir } from "../../schedule/state-dir.ts";
import type { HandlerContext } from "../api-deps.ts";
import type { HandlerGroup } from "../handler-types.ts";

async function pick(ctx: HandlerContext, names: string[] | undefined) {
  if (names) return Promise.all(names.map((n) => ctx.profile(n)));
  return (await ctx.config()).profiles.filter((p) => p.schedule);
}

function platformOptions(
  ctx: HandlerContext,
  r: {
    platform?: PlatformOptions["platform"] | undefined;
    unitDir?: string | undefined;
    activate?: boolean | undefined;
  },
): PlatformOptions {
  return {
    platform: r.platform ?? defaultPlatform(),
    activate: r.activate ?? true,
    env: ctx.deps.env,
    ...(r.unitDir ? { unitDir: r.unitDir } : {}),
  };
}

export const schedulePlatformHandlers: HandlerGroup<
  "schedule.install" | "schedule.status" | "schedule.remove" | "schedule.export"
> = {
  "schedule.install": async (r, ctx) =>
    installSchedule(
      await pick(ctx, r.profiles),
      { configPath: ctx.deps.configPath, ...(r.metricsTextfile ? { metricsTextfile: r.metricsTextfile } : {}) },
      platformOptions(ctx, r),
    ),
  "schedule.status": async (r, ctx) => {
    const o = platformOptions(ctx, r);
    const dir = o.unitDir ?? defaultUnitDir(o.platform, o.env);
    const plan = await planDue(await pick(ctx, r.profiles), {
      store: ctx.store,
      stateDir: scheduleStateDir(ctx.reader().dir),
      now: ctx.now,
    });
    return { platform: o.platform, unitDir: dir, installed: await installedUnitFiles(dir, r.profiles), ...plan };
  },
  "schedule.remove": async (r, ctx) => removeSchedule(r.profiles, platformOptions(ctx, r)),
  "schedule.export": async (r, ctx) => {
    const profiles = await pick(ctx, r.profiles);
    if (!profiles.some((p) => p.schedule))
      throw new LifeboatError(
        "CONFIG_INVALID",
        "no profile has a schedule to export",
        'Add a "schedule" section first.',
      );
    return exportKubernetes(profiles, {
      outDir: r.outDir,
      image: r.image,
      namespace: r.namespace ?? "lifeboat",
      store: ctx.store,
      ...(r.pgMajors ? { pgMajors: r.pgMajors } : {}),
    });
  },
};
