import {
  addNote,
  closeIncident,
  markServiceRestored,
  openIncident,
  tickChecklistItem,
} from "../../incidents/incident-actions.ts";
import { LifeboatError } from "../../../shared/errors.ts";
import { IncidentReportBuilder } from "../../incidents/incident-report.ts";
import type { JournalReader } from "../../journal/journal-reader.ts";
import type { JournalRecord } from "../../journal/record.ts";
import type { HandlerGroup } from "../handler-types.ts";

async function incidentReport(reader: JournalReader, id: string, now: Date) {
  if (!(await reader.incident(id)))
    throw new LifeboatError(
      "INCIDENT_NOT_FOUND",
      `There is no incident ${id} in this journal.`,
      "Pick one from the incident list.",
    );
  const b = new IncidentReportBuilder(id, now);
  for await (const { line } of reader.lines({ incident: id })) b.add(JSON.parse(line) as JournalRecord);
  return b.finish();
}

export const incidentsHandlers: HandlerGroup<
  | "incidents.list"
  | "incidents.get"
  | "incidents.open"
  | "incidents.note"
  | "incidents.checklist"
  | "incidents.serviceRestored"
  | "incidents.close"
> = {
  "incidents.list": async (_req, { journal }) => {
    const current = journal.currentIncident();
    return { incidents: await journal.incidents(), ...(current ? { current } : {}) };
  },
  "incidents.get": async ({ id }, ctx) => incidentReport(ctx.journal, id, ctx.now()),
  "incidents.open": async ({ runbook, ...input }, ctx) => {
    const profile = input.profile ? await ctx.profile(input.profile) : undefined;
    const opened = await openIncident(
      ctx.journal,
      {
        ...input,
        ...(profile ? { targets: profile.targets } : {}),
        ...(profile?.contacts.length ? { contacts: profile.contacts } : {}),
      },
      ctx.now(),
    );
    if (runbook) {
      await ctx.journal.append({
        kind: "runbook.start",
        incident: opened.id,
        ...(input.profile ? { profile: input.profile } : {}),
        summary: `Runbook ${runbook} started`,
        details: { runbook },
        outcome: "info",
      });
    }
    return opened;
  },
  "incidents.note": async (req, { journal }) => addNote(journal, req),
  "incidents.checklist": async (req, { journal }) => tickChecklistItem(journal, req),
  "incidents.serviceRestored": async (req, { journal }) => markServiceRestored(journal, req),
  "incidents.close": async (req, { journal }) => closeIncident(journal, req),
};
