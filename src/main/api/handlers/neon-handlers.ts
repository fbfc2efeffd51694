import { runNeonDrill } from "../../drills/neon-drill.ts";
import { emergencySnapshot } from "../../neon/emergency-snapshot.ts";
import { deleteBranch, listBranches } from "../../neon/neon-branches.ts";
import { neonStatus } from "../../neon/neon-status.ts";
import { recoverTo } from "../../neon/recover-to.ts";
import { restoreInPlace } from "../../neon/restore-in-place.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { neonOptions } from "../neon-engine.ts";

type NeonChannels =
  | "neon.status"
  | "neon.recoverTo"
  | "neon.snapshot"
  | "neon.restore"
  | "neon.branches"
  | "neon.deleteBranch"
  | "drill.neon";

const pointText = (p: { at: string } | { lsn: string }): string => ("at" in p ? p.at : p.lsn);

export const neonHandlers: HandlerGroup<NeonChannels> = {
  "neon.status": async ({ profile }, ctx) => {
    const engine = ctx.engine();
    return neonStatus(await ctx.profile(profile), neonOptions(), engine);
  },
  "neon.recoverTo": async ({ profile, point, branchName }, ctx) => {
    const engine = ctx.engine();
    // The result's connection (a SecretUri) is dropped by the result schema: the URI never reaches the renderer.
    return recoverTo(
      await ctx.profile(profile),
      { ...neonOptions(), point: pointText(point), ...(branchName ? { name: branchName } : {}) },
      engine,
    );
  },
  "neon.snapshot": async ({ profile }, ctx) => {
    const engine = ctx.engine();
    return emergencySnapshot(await ctx.profile(profile), { ...neonOptions(), method: "branch" }, engine);
  },
  "neon.restore": async ({ profile, branch, source, preserveUnderName, confirm }, ctx) => {
    const engine = ctx.engine();
    return restoreInPlace(
      await ctx.profile(profile),
      {
        ...neonOptions(),
        branch,
        ...("branch" in source ? { sourceBranch: source.branch } : { point: pointText(source) }),
        ...(preserveUnderName ? { preserveAs: preserveUnderName } : {}),
        confirm,
      },
      engine,
    );
  },
  "neon.branches": async ({ profile }, ctx) => {
    const engine = ctx.engine();
    return listBranches(await ctx.profile(profile), neonOptions(), engine);
  },
  "neon.deleteBranch": async ({ profile, branch }, ctx) => {
    const engine = ctx.engine();
    return deleteBranch(await ctx.profile(profile), { ...neonOptions(), branch }, engine);
  },
  "drill.neon": async ({ profile, offset, tables }, ctx) => {
    const engine = ctx.engine();
    const r = await runNeonDrill(
      await ctx.profile(profile),
      { ...neonOptions(), ...(offset ? { offset } : {}), ...(tables?.length ? { tables } : {}) },
      engine,
    );
    return {
      ...r,
      counts: r.counts.map((c) => ({
        table: c.table,
        rows: c.rows,
        ...(c.previous !== undefined ? { previous: c.previous } : {}),
      })),
    };
  },
};
