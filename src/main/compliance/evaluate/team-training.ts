// Team training: runbooks practised in the sandbox (training.run records in a practice journal): who practised which
// runbook at which version, and the RTO they achieved. A practice run that never got the service back is a run, not
// a completed exercise.
import { formatDuration, formatTime } from "../../../shared/format.ts";
import type { EvidenceIndex, EvRecord, Period } from "./evidence-index.ts";
import { factTable, plural, result, type ItemResult } from "./item-result.ts";

import { TRAINING_KIND } from "../../../shared/compliance/evidence-kinds.ts";

export interface TrainingRun {
  record: EvRecord;
  operator: string;
  runbook: string;
  version: string;
  rtoMs: number | undefined;
  targetMinutes: number | undefined;
  completed: boolean;
}

export function trainingRuns(ix: EvidenceIndex, period: Period): TrainingRun[] {
  return ix
    .ended(TRAINING_KIND)
    .filter((r) => Date.parse(r.ts) >= period.fromMs && Date.parse(r.ts) <= period.toMs)
    .map((r) => {
      const d = r.details as {
        operator?: string;
        runbook?: string;
        version?: string;
        rtoMs?: number | null;
        targetMinutes?: number;
        serviceRestored?: boolean;
      };
      return {
        record: r,
        operator: d.operator ?? `${r.actor.user}@${r.actor.host}`,
        runbook: d.runbook ?? "?",
        version: d.version ?? "?",
        rtoMs: typeof d.rtoMs === "number" ? d.rtoMs : undefined,
        ...(typeof d.targetMinutes === "number" ? { targetMinutes: d.targetMinutes } : { targetMinutes: undefined }),
        completed: d.serviceRestored === true,
      };
    });
}

export function teamTraining(ix: EvidenceIndex, period: Period): ItemResult {
  const runs = trainingRuns(ix, period);
  const looked = ix.bundle.practice;
  const unseen = looked.filter((p) => !p.found).map((p) => `no practice journal at ${p.dir}`);
  const byOperator = new Map<string, TrainingRun[]>();
  for (const r of runs) byOperator.set(r.operator, [...(byOperator.get(r.operator) ?? []), r]);
  const tables = [
    factTable(
      "Practice runs per operator",
      ["Operator", "Runs", "Completed", "Runbooks (version)", "Last run", "Best RTO"],
      [...byOperator.entries()].map(([op, list]) => {
        const done = list.filter((r) => r.completed && r.rtoMs !== undefined);
        return [
          op,
          String(list.length),
          String(list.filter((r) => r.completed).length),
          [...new Set(list.map((r) => `${r.runbook} (${r.version})`))].join(", "),
          formatTime(list.at(-1)!.record.ts),
          done.length ? formatDuration(Math.min(...done.map((r) => r.rtoMs!))) : "—",
        ];
      }),
    ),
    factTable(
      "Practice runs",
      ["When", "Operator", "Runbook", "Version", "RTO achieved", "Target", "Service restored"],
      runs.map((r) => [
        formatTime(r.record.ts),
        r.operator,
        r.runbook,
        r.version,
        r.rtoMs !== undefined ? formatDuration(r.rtoMs) : "—",
        r.targetMinutes !== undefined ? formatDuration(r.targetMinutes * 60_000) : "—",
        r.completed ? "yes" : "no",
      ]),
    ),
  ];
  const evidence = runs.map((r) => r.record.ref);
  const findings = runs
    .filter((r) => !r.completed)
    .map((r) => `${r.operator}'s run of ${r.runbook} (${formatTime(r.record.ts)}) ended without the service restored.`);
  if (!runs.length)
    return result(
      "NOT_EVIDENCED",
      looked.some((p) => p.found)
        ? "No runbook was practised in the sandbox in the period."
        : "No practice journal was found: no record of practice in the sandbox.",
      { tables, unseen },
    );
  const completed = runs.filter((r) => r.completed);
  if (!completed.length)
    return result(
      "FAIL",
      `${plural(runs.length, "practice run")} in the period, none of them brought the service back.`,
      {
        findings,
        tables,
        evidence,
        unseen,
      },
    );
  return result(
    "PASS",
    `${plural(byOperator.size, "operator")} practised: ${plural(completed.length, "completed run")} of ${runs.length} in the period.`,
    { findings, tables, evidence, unseen },
  );
}
