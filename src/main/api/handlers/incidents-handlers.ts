import { addNote, markServiceRestored, setDetectedAt, tickChecklistItem } from "../../incidents/incident-actions.ts";
import {
  closeIncidentWithReport,
  incidentReport,
  listIncidents,
  recordIncidentEntries,
  startIncident,
} from "../../incidents/incident-operations.ts";
import type { HandlerGroup } from "../handler-types.ts";
import { withTimeout } from "../../engine/with-timeout.ts";
import { leftoversFor } from "./leftovers-handlers.ts";

/** The close waits this long at most for the leftovers reminder (Neon or a server may be down). */
const LEFTOVERS_MS = 10_000;

export const incidentsHandlers: HandlerGroup<
  | "incidents.list"
  | "incidents.get"
  | "incidents.open"
  | "incidents.note"
  | "incidents.record"
  | "incidents.detectedAt"
  | "incidents.checklist"
  | "incidents.serviceRestored"
  | "incidents.close"
> = {
  "incidents.list": async (_req, ctx) => listIncidents(await ctx.journal()),
  "incidents.get": async ({ id }, ctx) => incidentReport(await ctx.journal(), id, ctx.now()),
  "incidents.open": async ({ profile, ...input }, ctx) =>
    startIncident(
      await ctx.journal(),
      { ...input, ...(profile ? { profile: await ctx.profile(profile) } : {}) },
      ctx.now(),
      { practice: !!ctx.deps.sandbox },
    ),
  "incidents.note": async (req, ctx) => addNote(await ctx.journal(), req),
  "incidents.record": async (req, ctx) => recordIncidentEntries(await ctx.journal(), req),
  "incidents.detectedAt": async (req, ctx) => setDetectedAt(await ctx.journal(), req, ctx.now()),
  "incidents.checklist": async (req, ctx) => tickChecklistItem(await ctx.journal(), req),
  "incidents.serviceRestored": async (req, ctx) => markServiceRestored(await ctx.journal(), req),
  "incidents.close": async (req, ctx) =>
    closeIncidentWithReport(
      await ctx.journal(),
      req,
      ctx.now(),
      (incident, profile) =>
        withTimeout(leftoversFor(ctx, incident, profile), LEFTOVERS_MS, "NEON_TIMEOUT", "Looking for leftovers"),
      { practice: !!ctx.deps.sandbox },
    ),
};
