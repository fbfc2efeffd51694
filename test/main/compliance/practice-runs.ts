// The practice journal of a generated year: sandbox runs by two operators, one that never got the service back (the
// team-training evidence a compliance report reads).
import { RUNBOOKS } from "../../../src/shared/runbooks/all-runbooks.ts";
import { openJournal, type OpenJournal } from "../../../src/main/journal/journal.ts";
import type { JournalRecord } from "../../../src/shared/api/journal-schemas.ts";
import type { JournalEntryInput } from "../../../src/main/journal/record.ts";

/** Appends at a moment of the generated year: the clock reads `t` for the record. */
export async function at(
  j: OpenJournal,
  clock: { t: number },
  t: number,
  e: JournalEntryInput,
): Promise<JournalRecord> {
  clock.t = t;
  return j.append(e);
}

export async function practiceRuns(practiceDir: string, year: number): Promise<JournalRecord[]> {
  const out: JournalRecord[] = [];
  // Practice in the sandbox: two operators, one run that never got the service back.
  const pclock = { t: Date.UTC(year, 5, 10, 14) };
  const pj = await openJournal({
    dir: practiceDir,
    clock: () => new Date(pclock.t),
    actor: { user: "sam.ortiz", host: "laptop-2" },
  });
  for (const [i, run] of [
    { operator: "sam.ortiz@laptop-2", runbook: "scenario-6-ransomware", rtoMs: 1_380_000, restored: true },
    { operator: "amal.dba@dr-laptop", runbook: "scenario-2-database-loss", rtoMs: null, restored: false },
    { operator: "amal.dba@dr-laptop", runbook: "scenario-5-region-outage", rtoMs: 2_100_000, restored: true },
  ].entries()) {
    const r = RUNBOOKS.find((x) => x.id === run.runbook);
    out.push(
      await at(pj, pclock, Date.UTC(year, 5 + i, 10, 14), {
        kind: "training.run",
        profile: "sandbox",
        outcome: "info",
        summary: `Practice run of ${run.runbook}`,
        details: {
          incident: `inc-${i}`,
          runbook: run.runbook,
          version: r?.version ?? "1.0",
          operator: run.operator,
          rtoMs: run.rtoMs,
          targetMinutes: 30,
          serviceRestored: run.restored,
          title: "practice",
        },
      }),
    );
  }
  await pj.close();
  return out;
}
