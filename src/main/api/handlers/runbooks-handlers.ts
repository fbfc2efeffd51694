import { join, resolve } from "node:path";
import { LifeboatError } from "../../../shared/errors.ts";
import { recordRunbookStep } from "../../incidents/runbook-record.ts";
import { exportRunbooks } from "../../runbooks/export-runbooks.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const runbooksHandlers: HandlerGroup<"runbooks.record" | "runbooks.profileContext" | "runbooks.export"> = {
  "runbooks.record": async (req, ctx) => recordRunbookStep(await ctx.journal(), req),
  "runbooks.profileContext": async ({ profile }, ctx) => {
    const p = await ctx.profile(profile);
    return { profile: p.name, contacts: p.contacts, escalation: p.escalation, targets: p.targets };
  },
  "runbooks.export": async ({ runbooks, format, destination, out }, ctx) => {
    if (out !== undefined && ctx.deps.shell !== "cli")
      throw new LifeboatError("USAGE", "A window cannot choose where documents are written.", "Leave out `out`.");
    const dir =
      destination === "text" ? undefined : out !== undefined ? resolve(out) : join(ctx.exportsDir(), "runbooks");
    return { documents: await exportRunbooks({ runbooks, format, dir }, await ctx.writableJournal()) };
  },
};
