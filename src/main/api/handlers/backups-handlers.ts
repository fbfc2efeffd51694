import { listBackups } from "../../backup/backup-catalog.ts";
import { whereBackupsAre } from "../../replicas/where-backups-are.ts";
import { runBackupOnRecord } from "../../backup/backup-on-record.ts";
import { verifyBackup } from "../../verify/verify-backup.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const backupsHandlers: HandlerGroup<"backups.list" | "backups.run" | "backups.verify"> = {
  "backups.list": async ({ profile }, ctx) => {
    const p = await ctx.profile(profile);
    const store = await ctx.store(p);
    const listed = { profile: p.name, store: store.description, ...(await listBackups(store, p.name)) };
    return p.replicas.length ? { ...listed, copies: await whereBackupsAre(p, ctx.engine()) } : listed;
  },
  "backups.run": async ({ profile }, ctx) => runBackupOnRecord(await ctx.profile(profile), ctx.engine()),
  "backups.verify": async ({ profile, id, deep, identity, store }, ctx) =>
    verifyBackup(await ctx.profile(profile), id, ctx.engine(), {
      ...(deep ? { deep: true } : {}),
      ...(identity ? { identityText: identity } : {}),
      ...(store ? { store } : {}),
    }),
};
