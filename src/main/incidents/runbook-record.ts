// A runbook step the operator confirmed or filled in, journaled against the runbook's incident (an engine step is
// journaled by its own channel). Every face records steps through this one function.
import type { OpenJournal } from "../journal/journal.ts";
import type { JournalOutcome, JournalRecord } from "../../shared/api/journal-schemas.ts";
import { runbookStepLine } from "../../shared/journal/record-text.ts";
import { writableIncident } from "./incident-actions.ts";

export interface RunbookStepInput {
  runbook: string;
  step: string;
  title: string;
  outcome: Extract<JournalOutcome, "ok" | "failed" | "info">;
  value?: string;
  incident?: string;
  profile?: string;
}

export async function recordRunbookStep(j: OpenJournal, input: RunbookStepInput): Promise<JournalRecord> {
  await j.refresh();
  // A named incident must exist and be open; without one, the step attaches to the open incident, if any.
  const incident = input.incident ? await writableIncident(j, input.incident) : j.currentIncident();
  const value = input.value?.trim() ? input.value : undefined;
  return j.append({
    kind: "runbook.step",
    ...(incident ? { incident } : {}),
    ...(input.profile ? { profile: input.profile } : {}),
    summary: runbookStepLine(input.runbook, input.title, value),
    details: {
      runbook: input.runbook,
      step: input.step,
      title: input.title,
      ...(value !== undefined ? { value } : {}),
    },
    outcome: input.outcome,
  });
}
