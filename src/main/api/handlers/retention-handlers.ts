import { runPrune } from "../../retention/run-prune.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const retentionHandlers: HandlerGroup<"retention.prune"> = {
  "retention.prune": async ({ profile, apply, store }, ctx) =>
    runPrune(await ctx.profile(profile), ctx.engine(), {
      apply: !!apply,
      ...(store ? { store } : {}),
      now: () => ctx.now(),
    }),
};
