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
  "incidents.list": async (_req, ctx) => {
    const journal = await ctx.journal();
    await journal.refresh();
    const current = journal.currentIncident();
    return { incidents: await journal.incidents(), ...(current ? { current } : {}) };
  },
  "incidents.get": async ({ id }, ctx) => incidentReport(ctx.reader(), id, ctx.now()),
  "incidents.open": async ({ runbook, ...input }, ctx) => {
    const profile = input.profile ? await ctx.profile(input.profile) : undefined;
    const journal = await ctx.journal();
    const opened = await openIncident(
      journal,
      {
        ...input,
        ...(profile ? { targets: profile.targets } : {}),
        ...(profile?.contacts.length ? { contacts: profile.contacts } : {}),
      },
      ctx.now(),
    );
    if (runbook) {
      await journal.append({
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
  "incidents.note": async (req, ctx) => addNote(await ctx.journal(), req),
  "incidents.checklist": async (req, ctx) => tickChecklistItem(await ctx.journal(), req),
  "incidents.serviceRestored": async (req, ctx) => markServiceRestored(await ctx.journal(), req),
  "incidents.close": async (req, ctx) => closeIncident(await ctx.journal(), req),
};
