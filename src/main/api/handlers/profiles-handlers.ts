import { removeProfile, upsertProfile } from "../../config/config-store.ts";
import { testProfile } from "../../engine/profile-test.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const profilesHandlers: HandlerGroup<
  "profiles.list" | "profiles.get" | "profiles.save" | "profiles.remove" | "profiles.test"
> = {
  "profiles.list": async (_req, ctx) => ({ configPath: ctx.deps.configPath, profiles: (await ctx.config()).profiles }),
  "profiles.get": async ({ name }, ctx) => ctx.profile(name),
  "profiles.save": async ({ profile }, ctx) => {
    const saved = await upsertProfile(ctx.deps.configPath, profile);
    await (
      await ctx.journal()
    ).append({
      kind: "profile.save",
      profile: saved.name,
      summary: `Profile ${saved.name} saved from the console`,
      outcome: "ok",
    });
    return saved;
  },
  "profiles.remove": async ({ name }, ctx) => {
    const removed = await removeProfile(ctx.deps.configPath, name);
    if (removed)
      await (
        await ctx.journal()
      ).append({
        kind: "profile.remove",
        profile: name,
        summary: `Profile ${name} removed from the console`,
        outcome: "ok",
      });
    return { removed };
  },
  "profiles.test": async ({ name }, ctx) => testProfile(await ctx.profile(name), ctx.engine()),
};
