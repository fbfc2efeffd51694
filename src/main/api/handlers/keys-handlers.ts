import { checkKeys } from "../../keys/check-keys.ts";
import { escrowDrill } from "../../keys/decrypt-drill.ts";
import { addEscrow, rotateKey } from "../../keys/manage-keys.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const keysHandlers: HandlerGroup<"keys.check" | "keys.rotate" | "keys.escrow" | "keys.drill"> = {
  "keys.check": async ({ profile, store }, ctx) =>
    checkKeys(await ctx.profile(profile), ctx.engine(), store ? { store } : {}),
  "keys.rotate": async ({ profile, name }, ctx) =>
    rotateKey(await ctx.profile(profile), ctx.deps.configPath, ctx.engine(), {
      ...(name ? { name } : {}),
      now: ctx.now(),
    }),
  "keys.escrow": async ({ profile, label, recipient, out }, ctx) =>
    addEscrow(await ctx.profile(profile), ctx.deps.configPath, ctx.engine(), {
      label,
      ...(recipient ? { recipient } : {}),
      ...(out ? { out } : {}),
      now: ctx.now(),
    }),
  "keys.drill": async ({ profile, identity }, ctx) => escrowDrill(await ctx.profile(profile), identity, ctx.engine()),
};
