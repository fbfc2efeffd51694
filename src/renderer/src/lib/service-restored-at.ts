import type { RunbookExecutor, RunState } from "../../../shared/runbooks/runbook-executor.ts";

/** The RTO clock stops when service is restored (that is what RTO measures), or at the latest when the incident closes. */
export function serviceRestoredAt(run: RunbookExecutor, state: RunState): string | undefined {
  const step = run.runbook.steps.find((s) => s.kind === "action" && s.channel === "incidents.serviceRestored");
  const ts = step ? (state.steps[step.id]?.result as { ts?: string } | undefined)?.ts : undefined;
  return ts ?? state.closedAt;
}
