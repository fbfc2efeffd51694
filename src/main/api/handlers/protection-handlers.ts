import { findBackup, listBackups } from "../../backup/backup-catalog.ts";
import { backupLockState } from "../../object-lock/backup-lock-state.ts";
import { setLegalHold } from "../../object-lock/legal-hold.ts";
import { ransomwareDrill } from "../../object-lock/ransomware-drill.ts";
import { storeProtections } from "../../object-lock/store-protection.ts";
import { namedStore, openNamedStore } from "../../replicas/profile-stores.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const protectionHandlers: HandlerGroup<
  "protection.locks" | "protection.hold" | "protection.status" | "protection.drill"
> = {
  "protection.locks": async ({ profile, id, store }, ctx) => {
    const p = await ctx.profile(profile);
    const s = await openNamedStore(namedStore(p, store), ctx.engine());
    const manifests = id ? [await findBackup(s, p.name, id)] : (await listBackups(s, p.name)).backups;
    const now = ctx.now().getTime();
    const backups = [];
    const memo = {};
    for (const m of manifests) backups.push(await backupLockState(s, m, now, memo));
    return { store: s.description, backups };
  },
  "protection.hold": async ({ profile, id, hold, store }, ctx) =>
    setLegalHold(await ctx.profile(profile), id, hold, ctx.engine(), {
      ...(store ? { store } : {}),
      now: () => ctx.now(),
    }),
  "protection.status": async ({ profile }, ctx) => ({
    stores: await storeProtections(await ctx.profile(profile), ctx.engine()),
  }),
  "protection.drill": async ({ profile, store }, ctx) =>
    ransomwareDrill(await ctx.profile(profile), ctx.engine(), { ...(store ? { store } : {}), now: () => ctx.now() }),
};
