// What every face asks of incidents, each written once: open one with the profile's targets and contacts, record what
// the operator says in one call, close it with its report, list them, and fold one into its report (the RTO clock,
// RPO, checklist), by id or the open one.
import type { JournalRecord, IncidentReport } from "../../shared/api/journal-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { JournalReader, OpenJournal } from "../journal/journal.ts";
import {
  addNote,
  closeIncident,
  markServiceRestored,
  openIncident,
  resolveIncident,
  tickChecklistItem,
  writableIncident,
  type NoteKind,
  type OpenIncidentInput,
} from "./incident-actions.ts";
import type { Leftovers } from "../../shared/api/channels/leftover-channels.ts";
import { IncidentReportBuilder } from "./incident-report.ts";
import { recordPractice, runbookStartDetails } from "./practice-record.ts";

/** Targets given win over the profile's; contacts given replace the profile's. Starting a runbook is recorded too. */
export async function startIncident(
  j: OpenJournal,
  input: Omit<OpenIncidentInput, "profile"> & { profile?: Profile; runbook?: string },
  now = new Date(),
  opts: { practice?: boolean } = {},
): Promise<{ id: string; record: JournalRecord }> {
  const { profile, runbook, targets, contacts, ...rest } = input;
  const opened = await openIncident(
    j,
    {
      ...rest,
      ...(profile ? { profile: profile.name } : {}),
      targets: { ...profile?.targets, ...targets },
      contacts: contacts?.length ? contacts : (profile?.contacts ?? []),
    },
    now,
  );
  if (runbook) {
    await j.append({
      kind: "runbook.start",
      incident: opened.id,
      ...(profile ? { profile: profile.name } : {}),
      summary: `Runbook ${runbook} started${opts.practice ? " (practice, in the sandbox)" : ""}`,
      details: runbookStartDetails(runbook, !!opts.practice),
      outcome: "info",
    });
  }
  return opened;
}

export interface IncidentEntries {
  incident?: string;
  /** A note, or with `kind` a decision or a follow-up; with `step` or `restored` it is their note instead. */
  text?: string;
  kind?: NoteKind;
  /** Ticks this post-recovery checklist item (its number or the start of its text). */
  step?: string;
  /** Service is restored (stops the RTO clock), at `at` or now. */
  restored?: boolean;
  at?: string;
  corruptionTime?: string;
  recoveryPoint?: string;
}

/** Everything the operator records about the incident in one go; every record written, in order. */
export async function recordIncidentEntries(
  j: OpenJournal,
  input: IncidentEntries,
): Promise<{ incident: string; records: JournalRecord[] }> {
  const text = input.text?.trim() ?? "";
  const id = await resolveIncident(j, input.incident);
  const written: JournalRecord[] = [];
  if (input.step)
    written.push(await tickChecklistItem(j, { item: input.step, incident: id, ...(text ? { note: text } : {}) }));
  if (input.restored)
    written.push(
      await markServiceRestored(j, {
        incident: id,
        ...(input.at ? { at: input.at } : {}),
        ...(text ? { note: text } : {}),
      }),
    );
  const asNote = text && !input.step && !input.restored;
  if (asNote || input.corruptionTime || input.recoveryPoint) {
    const body =
      text ||
      [
        input.corruptionTime ? `Corruption time: ${input.corruptionTime}` : "",
        input.recoveryPoint ? `Recovery point: ${input.recoveryPoint}` : "",
      ]
        .filter(Boolean)
        .join("; ");
    written.push(
      await addNote(j, {
        text: body,
        kind: input.kind ?? "note",
        incident: id,
        ...(input.corruptionTime ? { corruptionTime: input.corruptionTime } : {}),
        ...(input.recoveryPoint ? { recoveryPoint: input.recoveryPoint } : {}),
      }),
    );
  }
  if (!written.length)
    throw new LifeboatError(
      "USAGE",
      "Nothing to record.",
      'Give the note text, or --step <item>, or --restored. Example: lifeboat incident note "Branch created at 14:34:59"',
    );
  return { incident: id, records: written };
}

/** The incident folded from its records; the open incident when no id is given. */
export async function incidentReport(
  j: OpenJournal,
  id: string | undefined,
  now = new Date(),
): Promise<IncidentReport> {
  const incident = await resolveIncident(j, id);
  return foldIncident(j, incident, now);
}

async function foldIncident(reader: JournalReader, incident: string, now: Date): Promise<IncidentReport> {
  const b = new IncidentReportBuilder(incident, now);
  const tip = await reader.tip();
  for await (const chunk of reader.lineChunks({ incident, toSeq: tip.seq }))
    for (const { line } of chunk) b.add(JSON.parse(line) as JournalRecord);
  return b.finish();
}

/**
 * Closes the incident with its report. `leftovers` (what recovery left running or stored) is looked up first, so the
 * close record names what remains and the operator is reminded; a lookup that fails never stops the close. In the
 * practice world, a closed runbook incident is also a training record (practice-record.ts).
 */
export async function closeIncidentWithReport(
  j: OpenJournal,
  input: { incident?: string; resolution?: string; followUps?: string[]; unrepairedReason?: string },
  now = new Date(),
  leftovers?: (incident: string, profile: string | undefined) => Promise<Leftovers>,
  opts: { practice?: boolean } = {},
): Promise<{ record: JournalRecord; report: IncidentReport; leftovers?: Leftovers }> {
  const incident = await writableIncident(j, input.incident);
  const before = leftovers
    ? await leftovers(incident, (await foldIncident(j, incident, now)).profile).catch(() => undefined)
    : undefined;
  const remaining = before && (before.branches.length || before.databases.length) ? before : undefined;
  const record = await closeIncident(j, {
    ...input,
    incident,
    ...(remaining
      ? {
          leftovers: {
            branches: remaining.branches.map((b) => b.name),
            databases: remaining.databases.map((d) => `${d.database} on ${d.host}`),
          },
        }
      : {}),
  });
  const report = await foldIncident(j, record.incident!, now);
  if (opts.practice) await recordPractice(j, report);
  return { record, report, ...(before ? { leftovers: before } : {}) };
}

/** Oldest first, and the one open now. */
export async function listIncidents(j: OpenJournal) {
  await j.refresh();
  const incidents = (await j.incidents()).sort((a, b) => (a.openSeq ?? 0) - (b.openSeq ?? 0));
  const current = j.currentIncident();
  return { incidents, ...(current ? { current } : {}) };
}
