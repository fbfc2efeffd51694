// Opening, annotating and closing incidents. Every action is a journal record; the journal is the only state.
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import { damageLeft, RepairTracker } from "./repair-status.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { OpenJournal } from "../journal/journal.ts";
import { KIND } from "../journal/record.ts";
import { headline, noteLabel } from "../../shared/journal/record-text.ts";
import { incidentClosed } from "../journal/closed-incident.ts";
import {
  DEFAULT_TARGETS,
  matchChecklistItem,
  POST_RECOVERY_CHECKLIST,
  SCENARIOS,
  SEVERITIES,
  type Contact,
  type Scenario,
  type Severity,
  type Targets,
} from "../../shared/incident.ts";
import { newIncidentId } from "./incident-model.ts";

export interface OpenIncidentInput {
  title: string;
  severity: Severity;
  scenario: Scenario;
  /** When the problem was detected, if before the incident was opened. ISO 8601. */
  detectedAt?: string;
  /** When the data went bad (data-corruption, bad-migration), if known. ISO 8601. */
  corruptionTime?: string;
  targets?: Partial<Targets>;
  contacts?: Contact[];
  profile?: string;
  /** A drill (the weekly test, practice): labelled as such everywhere, never as an incident. Default: backup-test. */
  drill?: boolean;
}

function iso(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms))
    throw new LifeboatError(
      "USAGE",
      `${name} "${value}" is not a date.`,
      "Use an ISO 8601 time such as 2026-01-17T14:30:00Z.",
    );
  return new Date(ms).toISOString();
}

export async function openIncident(
  j: OpenJournal,
  input: OpenIncidentInput,
  now = new Date(),
): Promise<{ id: string; record: JournalRecord }> {
  if (!input.title?.trim())
    throw new LifeboatError("USAGE", "An incident needs a title.", 'Pass --title "what is wrong".');
  if (!SEVERITIES.includes(input.severity))
    throw new LifeboatError(
      "USAGE",
      `Severity "${input.severity}" is not one of ${SEVERITIES.join(", ")}.`,
      "SEV1 is the worst (production down or data lost).",
    );
  if (!SCENARIOS.includes(input.scenario))
    throw new LifeboatError(
      "USAGE",
      `Scenario "${input.scenario}" is not one of ${SCENARIOS.join(", ")}.`,
      "Pick the closest; use other when none fits.",
    );
  await j.refresh();
  const current = j.currentIncident();
  if (current) {
    throw new LifeboatError(
      "INCIDENT_ALREADY_OPEN",
      `Incident ${current} is still open.`,
      `Close it first: lifeboat incident close --incident ${current}`,
      { incident: current },
    );
  }
  const detectedAt = iso(input.detectedAt, "detectedAt") ?? now.toISOString();
  if (Date.parse(detectedAt) > now.getTime() + 60_000)
    throw new LifeboatError(
      "USAGE",
      "The detection time is in the future.",
      "Give the time the problem was first noticed.",
    );
  const corruptionTime = iso(input.corruptionTime, "corruptionTime");
  const drill = input.drill ?? input.scenario === "backup-test";
  const targets: Targets = { ...DEFAULT_TARGETS, ...input.targets };
  const id = newIncidentId(now);
  const record = await j.append({
    kind: KIND.incidentOpen,
    incident: id,
    ...(input.profile ? { profile: input.profile } : {}),
    summary: `${drill ? "Drill" : "Incident"} opened: ${input.title.trim()} (${input.severity}, ${input.scenario})`,
    details: {
      title: input.title.trim(),
      severity: input.severity,
      scenario: input.scenario,
      ...(drill ? { drill: true } : {}),
      detectedAt,
      ...(corruptionTime ? { corruptionTime } : {}),
      targets,
      ...(input.contacts?.length ? { contacts: input.contacts } : {}),
    },
    outcome: "info",
  });
  return { id, record };
}

/** The incident named, or the open one (for reading: a closed incident is fine). */
export async function resolveIncident(j: OpenJournal, id?: string): Promise<string> {
  if (id) {
    if (!(await j.incident(id)))
      throw new LifeboatError(
        "INCIDENT_NOT_FOUND",
        `There is no incident ${id} in this journal.`,
        "List incidents with: lifeboat incident list",
      );
    return id;
  }
  await j.refresh();
  const current = j.currentIncident();
  if (!current)
    throw new LifeboatError(
      "INCIDENT_NOT_FOUND",
      "No incident is open.",
      'Open one with: lifeboat incident open --title "…" --severity SEV1 --scenario data-corruption, or pass --incident <id>.',
    );
  return current;
}

/** The incident named, or the open one, to record in: a closed incident takes no more records. */
export async function writableIncident(j: OpenJournal, id?: string): Promise<string> {
  const incident = await resolveIncident(j, id);
  const info = await j.incident(incident);
  if (info?.closeSeq) throw incidentClosed(incident, info.closedAt);
  return incident;
}

export type NoteKind = "note" | "decision" | "follow-up";

const NOTE_KINDS: Record<NoteKind, string> = { note: KIND.note, decision: KIND.decision, "follow-up": KIND.followUp };

export async function addNote(
  j: OpenJournal,
  input: { text: string; kind?: NoteKind; incident?: string; corruptionTime?: string; recoveryPoint?: string },
): Promise<JournalRecord> {
  const text = input.text?.trim();
  if (!text)
    throw new LifeboatError(
      "USAGE",
      "The note is empty.",
      'Pass the text, e.g. lifeboat incident note "Restored to 14:29:59".',
    );
  const incident = await writableIncident(j, input.incident);
  const kind = NOTE_KINDS[input.kind ?? "note"];
  const corruptionTime = iso(input.corruptionTime, "corruptionTime");
  const recoveryPoint = iso(input.recoveryPoint, "recoveryPoint");
  return j.append({
    kind,
    incident,
    summary: `${noteLabel(kind)}: ${headline(text)}`,
    details: { text, ...(corruptionTime ? { corruptionTime } : {}), ...(recoveryPoint ? { recoveryPoint } : {}) },
    outcome: "info",
  });
}

export async function tickChecklistItem(
  j: OpenJournal,
  input: { item: string; incident?: string; note?: string },
): Promise<JournalRecord> {
  const item = matchChecklistItem(input.item);
  if (!item) {
    throw new LifeboatError(
      "USAGE",
      `"${input.item}" is not an item of the post-recovery checklist.`,
      `Use a number, an id or the start of one of: ${POST_RECOVERY_CHECKLIST.map((x, i) => `${i + 1}. ${x.text} (${x.id})`).join("; ")}`,
    );
  }
  const incident = await writableIncident(j, input.incident);
  return j.append({
    kind: KIND.step,
    incident,
    summary: `Checklist: ${item.text} — done`,
    details: {
      // The id is what ticks are matched by; the text is kept for people reading the journal with jq.
      itemId: item.id,
      item: item.text,
      number: POST_RECOVERY_CHECKLIST.findIndex((x) => x.id === item.id) + 1,
      done: true,
      ...(input.note ? { note: input.note } : {}),
    },
    outcome: "ok",
  });
}

/** Stops the RTO clock. `at` defaults to now; give it when service came back before this is recorded. */
export async function markServiceRestored(
  j: OpenJournal,
  input: { incident?: string; at?: string; note?: string } = {},
): Promise<JournalRecord> {
  const incident = await writableIncident(j, input.incident);
  const at = iso(input.at, "at") ?? new Date().toISOString();
  return j.append({
    kind: KIND.serviceRestored,
    incident,
    summary: `Service restored at ${at}`,
    details: { at, ...(input.note ? { note: input.note } : {}) },
    outcome: "ok",
  });
}

/** What the incident's repair records say is left (see repair-status.ts). */
async function repairLeft(j: OpenJournal, incident: string): Promise<string | undefined> {
  const tracker = new RepairTracker();
  for (const rec of (await j.query({ incident, kind: "forensics.", limit: 100_000 })).records) tracker.add(rec);
  return damageLeft(tracker.status());
}

export async function closeIncident(
  j: OpenJournal,
  input: {
    incident?: string;
    resolution?: string;
    followUps?: string[];
    unrepairedReason?: string;
    /** What recovery left running or stored when the incident closed (names), recorded with the close. */
    leftovers?: { branches: string[]; databases: string[] };
  } = {},
): Promise<JournalRecord> {
  const incident = await writableIncident(j, input.incident);
  // Never a quiet "resolved" over damage the repair left behind: closing then takes a reason, shown in the post-mortem.
  const left = await repairLeft(j, incident);
  const reason = input.unrepairedReason?.trim();
  if (left && !reason)
    throw new LifeboatError(
      "DAMAGE_REMAINS",
      `Incident ${incident} cannot be closed quietly: ${left}.`,
      'Repair or decide on the remaining rows and verify again, or close with an explicit reason (--unrepaired-reason "…"), which the post-mortem shows.',
    );
  for (const f of input.followUps ?? []) await addNote(j, { text: f, kind: "follow-up", incident });
  const resolution = input.resolution?.trim();
  return j.append({
    kind: KIND.incidentClose,
    incident,
    summary: `Incident closed${resolution ? `: ${headline(resolution)}` : ""}${left ? " with unrepaired damage" : ""}`,
    details: {
      ...(resolution ? { resolution } : {}),
      ...(left ? { unrepairedDamage: left, unrepairedReason: reason } : {}),
      ...(input.leftovers ? { leftovers: input.leftovers } : {}),
    },
    outcome: "info",
  });
}

/**
 * Corrects when the problem was detected (the RTO clock runs from it). A record of its own, so the journal shows the
 * first value, who changed it and when; the report uses the latest.
 */
export async function setDetectedAt(
  j: OpenJournal,
  input: { detectedAt: string; incident?: string; note?: string },
  now = new Date(),
): Promise<JournalRecord> {
  const incident = await writableIncident(j, input.incident);
  const detectedAt = iso(input.detectedAt, "detectedAt")!;
  if (Date.parse(detectedAt) > now.getTime() + 60_000)
    throw new LifeboatError(
      "USAGE",
      "The detection time is in the future.",
      "Give the time the problem was first noticed.",
    );
  const info = await j.incident(incident);
  const note = input.note?.trim();
  return j.append({
    kind: KIND.detectedAt,
    incident,
    summary: `Detected at corrected to ${detectedAt}${info?.detectedAt ? ` (was ${info.detectedAt})` : ""}`,
    details: { detectedAt, ...(info?.detectedAt ? { previous: info.detectedAt } : {}), ...(note ? { note } : {}) },
    outcome: "info",
  });
}
