// Team training evidence: when a runbook practised in the sandbox ends (its incident closed), one training.run record
// says who ran which runbook at which version, and what RTO they achieved. The compliance report's training item is
// made of these.
import { TRAINING_KIND } from "../../shared/compliance/evidence-kinds.ts";
import { findRunbook } from "../../shared/runbooks/all-runbooks.ts";
import type { OpenJournal } from "../journal/journal.ts";
import type { JournalRecord } from "../../shared/api/journal-schemas.ts";
import type { IncidentReport } from "../../shared/api/journal-schemas.ts";

/** The runbook.start record's details: which runbook, its version, and whether it ran in the practice world. */
export function runbookStartDetails(runbook: string, practice: boolean): Record<string, unknown> {
  return { runbook, version: findRunbook(runbook)?.version ?? "unknown", ...(practice ? { practice: true } : {}) };
}

/** Records the practice run an incident was, if a runbook started it; nothing for an incident opened by hand. */
export async function recordPractice(j: OpenJournal, report: IncidentReport): Promise<JournalRecord | undefined> {
  const start = (await j.query({ incident: report.id, kind: "runbook.start", limit: 1 })).records[0];
  if (!start) return undefined;
  const runbook = String(start.details.runbook ?? "");
  const version = String(start.details.version ?? findRunbook(runbook)?.version ?? "unknown");
  const operator = `${start.actor.user}@${start.actor.host}`;
  const rtoMs = report.rto.achievedMs ?? null;
  return j.append({
    kind: TRAINING_KIND,
    ...(start.profile ? { profile: start.profile } : {}),
    summary: `Practice run of ${runbook} (version ${version}) by ${operator}: ${
      rtoMs !== null ? `service restored after ${Math.round(rtoMs / 1000)} s` : "ended without the service restored"
    }`,
    details: {
      incident: report.id,
      runbook,
      version,
      operator,
      rtoMs,
      targetMinutes: report.targets.rtoMinutes,
      serviceRestored: report.serviceRestoredAt !== undefined,
      title: report.title,
    },
    outcome: "info",
  });
}
