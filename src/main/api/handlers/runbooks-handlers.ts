import { recordRunbookStep } from "../../incidents/runbook-record.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const runbooksHandlers: HandlerGroup<"runbooks.record" | "runbooks.profileContext"> = {
  "runbooks.record": async (req, ctx) => recordRunbookStep(await ctx.journal(), req),
  "runbooks.profileContext": async ({ profile }, ctx) => {
    const p = await ctx.profile(profile);
    return { profile: p.name, contacts: p.contacts, escalation: p.escalation, targets: p.targets };
  },
};
