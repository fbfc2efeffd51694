import { LifeboatError } from "../../../shared/errors.ts";
import type { HandlerGroup } from "../handler-types.ts";

export const runbooksHandlers: HandlerGroup<"runbooks.record" | "runbooks.profileContext"> = {
  "runbooks.record": async ({ runbook, step, title, outcome, value, incident, profile }, ctx) => {
    const journal = await ctx.journal();
    await journal.refresh();
    const attached = incident ?? journal.currentIncident();
    if (incident && !(await journal.incident(incident)))
      throw new LifeboatError(
        "INCIDENT_NOT_FOUND",
        `There is no incident ${incident} in this journal.`,
        "Start the runbook again; it opens an incident.",
      );
    return journal.append({
      kind: "runbook.step",
      ...(attached ? { incident: attached } : {}),
      ...(profile ? { profile } : {}),
      summary: `${runbook}: ${title}${value ? ` — ${value.split("\n")[0]!.slice(0, 200)}` : ""}`,
      details: { runbook, step, title, ...(value !== undefined ? { value } : {}) },
      outcome,
    });
  },
  "runbooks.profileContext": async ({ profile }, ctx) => {
    const p = await ctx.profile(profile);
    return { profile: p.name, contacts: p.contacts, escalation: p.escalation, targets: p.targets };
  },
};
