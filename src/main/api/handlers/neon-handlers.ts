import { LifeboatError } from "../../../shared/errors.ts";
import { runNeonDrill } from "../../drills/neon-drill.ts";
import { emergencySnapshot } from "../../neon/emergency-snapshot.ts";
import { revealConnectionString } from "../../neon/branch-connection.ts";
import { deleteBranch, listBranches } from "../../neon/neon-branches.ts";
import { neonStatus } from "../../neon/neon-status.ts";
import { recoverTo } from "../../neon/recover-to.ts";
import { restoreInPlace } from "../../neon/restore-in-place.ts";
import { neonRunOptions } from "../../neon/run-options.ts";
import type { HandlerGroup } from "../handler-types.ts";

type NeonChannels =
  | "neon.status"
  | "neon.recoverTo"
  | "neon.snapshot"
  | "neon.restore"
  | "neon.branches"
  | "neon.deleteBranch"
  | "neon.connectionString"
  | "drill.neon";

const pointText = (p: { at: string } | { lsn: string }): string => ("at" in p ? p.at : p.lsn);

export const neonHandlers: HandlerGroup<NeonChannels> = {
  "neon.status": async (req, ctx) => {
    const engine = ctx.engine();
    return neonStatus(await ctx.profile(req.profile), neonRunOptions(req, engine), engine);
  },
  "neon.recoverTo": async (req, ctx) => {
    // Checked before the branch is made: a window asking for the URI gets nothing made and nothing shown.
    if (req.showUri && !ctx.reveal)
      throw new LifeboatError(
        "USAGE",
        "A connection URI is shown only to a terminal that asked for it.",
        "Use the branch in forensics and restore, or keep the URI in the keychain with saveUriAs.",
      );
    const engine = ctx.engine();
    const r = await recoverTo(
      await ctx.profile(req.profile),
      {
        ...neonRunOptions(req, engine),
        point: pointText(req.point),
        ...(req.branchName ? { name: req.branchName } : {}),
        ...(req.parent ? { parent: req.parent } : {}),
        ...(req.saveUriAs ? { saveUriAs: req.saveUriAs } : {}),
      },
      engine,
    );
    if (req.showUri) ctx.reveal!("connectionUri", r.connection.reveal());
    return r;
  },
  "neon.snapshot": async (req, ctx) => {
    const engine = ctx.engine();
    return emergencySnapshot(
      await ctx.profile(req.profile),
      {
        ...neonRunOptions(req, engine),
        method: req.method ?? "branch",
        ...(req.name ? { name: req.name } : {}),
        ...(req.branch ? { branch: req.branch } : {}),
      },
      engine,
    );
  },
  "neon.restore": async (req, ctx) => {
    const engine = ctx.engine();
    const { source } = req;
    const from = !source ? {} : "branch" in source ? { sourceBranch: source.branch } : { point: pointText(source) };
    const at = source && "branch" in source && source.at ? { point: source.at } : {};
    return restoreInPlace(
      await ctx.profile(req.profile),
      {
        ...neonRunOptions(req, engine),
        ...(req.branch ? { branch: req.branch } : {}),
        ...from,
        ...at,
        ...(req.preserveUnderName ? { preserveAs: req.preserveUnderName } : {}),
        ...(req.confirm !== undefined ? { confirm: req.confirm } : {}),
      },
      engine,
    );
  },
  "neon.branches": async (req, ctx) => {
    const engine = ctx.engine();
    return listBranches(await ctx.profile(req.profile), neonRunOptions(req, engine), engine);
  },
  "neon.connectionString": async (req, ctx) => {
    const engine = ctx.engine();
    return revealConnectionString(
      await ctx.profile(req.profile),
      { ...neonRunOptions(req, engine), branch: req.branch, pooled: req.pooled ?? false },
      engine,
    );
  },
  "neon.deleteBranch": async (req, ctx) => {
    const engine = ctx.engine();
    return deleteBranch(await ctx.profile(req.profile), { ...neonRunOptions(req, engine), branch: req.branch }, engine);
  },
  "drill.neon": async (req, ctx) => {
    const engine = ctx.engine();
    return runNeonDrill(
      await ctx.profile(req.profile),
      {
        ...neonRunOptions(req, engine),
        ...(req.offset ? { offset: req.offset } : {}),
        ...(req.tables?.length ? { tables: req.tables } : {}),
        ...(req.maxDropPercent !== undefined ? { maxDropPercent: req.maxDropPercent } : {}),
      },
      engine,
    );
  },
};
