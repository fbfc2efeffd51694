import { z } from "zod";
import { ProfileContact } from "../../config.ts";
import { channel, Empty, IsoTime, ProfileName } from "../common-schemas.ts";
import { Contact, Scenario, Severity, Targets } from "../../incident.ts";
import { Leftovers } from "./leftover-channels.ts";
import { IncidentInfo, IncidentReport, JournalRecord } from "../journal-schemas.ts";

const IncidentId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const incidentChannels = {
  "incidents.list": channel({
    doc: "Every incident in the journal, and the open one (records attach to it).",
    request: Empty,
    result: z.object({ incidents: z.array(IncidentInfo), current: z.string().optional() }),
  }),
  "incidents.get": channel({
    doc: "An incident (by default the open one) folded into a report: RTO clock (elapsed or achieved), RPO, checklist, notes, decisions, operations, contacts.",
    request: z.object({ id: IncidentId.optional() }).strict(),
    result: IncidentReport,
  }),
  "incidents.open": channel({
    doc: "Opens an incident (refused while another is open). Targets and contacts given win; otherwise they come from the profile named, else the seed's defaults. Starting a runbook calls this.",
    request: z
      .object({
        title: z.string().min(1).max(200),
        severity: Severity,
        scenario: Scenario,
        profile: ProfileName.optional(),
        detectedAt: IsoTime.optional(),
        corruptionTime: IsoTime.optional(),
        targets: z
          .object({ rtoMinutes: z.number().positive().optional(), rpoMinutes: z.number().positive().optional() })
          .strict()
          .optional(),
        contacts: z.array(ProfileContact).max(50).optional(),
        /** Which runbook started it, recorded in the open record. */
        runbook: z.string().max(64).optional(),
        /** A drill (the weekly test, practice), labelled as such everywhere. Default: true for backup-test. */
        drill: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ id: z.string(), record: JournalRecord }),
  }),
  "incidents.note": channel({
    doc: "Adds a note, decision or follow-up to the incident named (or the open one; a closed incident takes no more records). corruptionTime / recoveryPoint feed the RPO.",
    request: z
      .object({
        text: z.string().min(1).max(10000),
        kind: z.enum(["note", "decision", "follow-up"]).optional(),
        incident: IncidentId.optional(),
        corruptionTime: IsoTime.optional(),
        recoveryPoint: IsoTime.optional(),
      })
      .strict(),
    result: JournalRecord,
  }),
  "incidents.record": channel({
    doc:
      "Records what the operator says about an incident (the one named, or the open one) in one call: a note, decision or follow-up; " +
      "a checklist tick (the text is its note); service restored (stops the RTO clock); the corruption time and recovery point (for the RPO). Every record written, in order.",
    request: z
      .object({
        incident: IncidentId.optional(),
        text: z.string().max(10000).optional(),
        kind: z.enum(["note", "decision", "follow-up"]).optional(),
        step: z.string().min(1).max(200).optional(),
        restored: z.boolean().optional(),
        at: IsoTime.optional(),
        corruptionTime: IsoTime.optional(),
        recoveryPoint: IsoTime.optional(),
      })
      .strict(),
    result: z.object({ incident: z.string(), records: z.array(JournalRecord) }),
  }),
  "incidents.detectedAt": channel({
    doc: "Corrects when the problem was detected (the RTO clock runs from it); journaled as a record of its own, the first value kept.",
    request: z
      .object({ detectedAt: IsoTime, incident: IncidentId.optional(), note: z.string().max(2000).optional() })
      .strict(),
    result: JournalRecord,
  }),
  "incidents.checklist": channel({
    doc: "Ticks a post-recovery checklist item, named by its id (src/shared/incident.ts), 1-based number or text; the tick records the id.",
    request: z
      .object({
        item: z.string().min(1).max(200),
        incident: IncidentId.optional(),
        note: z.string().max(2000).optional(),
      })
      .strict(),
    result: JournalRecord,
  }),
  "incidents.serviceRestored": channel({
    doc: "Stops the RTO clock (at = now by default).",
    request: z
      .object({ incident: IncidentId.optional(), at: IsoTime.optional(), note: z.string().max(2000).optional() })
      .strict(),
    result: JournalRecord,
  }),
  "incidents.close": channel({
    doc:
      "Closes the incident (the one named, or the open one), recording follow-ups first; returns the close record and the final " +
      "report, and what recovery left behind (Lifeboat's Neon branches, restored or staging databases) as a reminder, also " +
      "named in the close record; checking for leftovers never stops the close. Refused (DAMAGE_REMAINS) while its last " +
      "repair verify left damaged rows without a decision, or a repair was applied and never verified, unless " +
      "`unrepairedReason` says why; the post-mortem shows it.",
    request: z
      .object({
        incident: IncidentId.optional(),
        resolution: z.string().max(10000).optional(),
        unrepairedReason: z.string().max(10000).optional(),
        followUps: z.array(z.string().min(1).max(2000)).max(50).optional(),
      })
      .strict(),
    result: z.object({ record: JournalRecord, report: IncidentReport, leftovers: Leftovers.optional() }),
  }),
};

export const runbookChannels = {
  "runbooks.record": channel({
    doc:
      "Records a runbook step the operator confirmed or filled in (an engine step is journaled by its own channel). " +
      "Attaches to the incident named or the open one.",
    request: z
      .object({
        runbook: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
        step: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
        title: z.string().min(1).max(200),
        outcome: z.enum(["ok", "failed", "info"]),
        /** What the operator recorded (a time, a count, free text). */
        value: z.string().max(10000).optional(),
        incident: IncidentId.optional(),
        profile: ProfileName.optional(),
      })
      .strict(),
    result: JournalRecord,
  }),
  "runbooks.profileContext": channel({
    doc: "What a runbook shows from the profile: contacts, escalation path and RTO/RPO targets.",
    request: z.object({ profile: ProfileName }).strict(),
    result: z.object({
      profile: z.string(),
      contacts: z.array(Contact),
      escalation: z.array(z.string()),
      targets: Targets,
    }),
  }),
};
