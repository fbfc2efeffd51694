import { deleteProfile, saveProfile } from "../../config/profile-edits.ts";
import { testProfile } from "../../engine/profile-test.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const profilesHandlers: HandlerGroup<
  "profiles.list" | "profiles.get" | "profiles.save" | "profiles.remove" | "profiles.test"
> = {
  "profiles.list": async (_req, ctx) => ({ configPath: ctx.deps.configPath, profiles: (await ctx.config()).profiles }),
  "profiles.get": async ({ name }, ctx) => ctx.profile(name),
  "profiles.save": async ({ profile }, ctx) => saveProfile(ctx.deps.configPath, profile, await ctx.journal()),
  "profiles.remove": async ({ name }, ctx) => deleteProfile(ctx.deps.configPath, name, await ctx.journal()),
  "profiles.test": async ({ name }, ctx) => testProfile(await ctx.profile(name), ctx.engine()),
};
