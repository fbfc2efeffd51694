import { runRestore } from "../../restore/run-restore.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { restorePreflight } from "../../restore/preflight.ts";

export const restoreHandlers: HandlerGroup<"restore.preflight" | "restore.run"> = {
  "restore.preflight": async (req, ctx) => {
    const profile = await ctx.profile(req.profile);
    const target = req.targetProfile ? await ctx.profile(req.targetProfile) : profile;
    return restorePreflight(profile, target, await ctx.store(profile), req, ctx.engine());
  },
  "restore.run": async ({ profile, targetProfile, identity, operationId: _op, ...opts }, ctx) => {
    const p = await ctx.profile(profile);
    return runRestore(
      p,
      {
        ...opts,
        ...(targetProfile ? { targetProfile: await ctx.profile(targetProfile) } : {}),
        ...(identity ? { identityText: identity } : {}),
      },
      ctx.engine(),
    );
  },
};
