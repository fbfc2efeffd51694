// The dead man's switch: pings in the healthchecks.io convention, so an outside service raises "no backup" even when
// the machine that runs the jobs is dead. `<url>/start` when a run starts, `<url>/<exit code>` when it ends (0 is
// success, anything else a failure), `<url>/fail` when it is stopped before it could end (a signal). A ping that fails
// never fails the run: it is journaled (heartbeat.ping, failed) and the run goes on.
import type { Journal } from "../journal/journal.ts";
import { httpSend, type SendResult } from "./http-send.ts";

export type HeartbeatEvent = "start" | "fail" | number;

export function heartbeatUrl(base: string, event: HeartbeatEvent): string {
  return `${base.replace(/\/+$/, "")}/${event}`;
}

export async function pingHeartbeat(
  base: string,
  event: HeartbeatEvent,
  body: string,
  journal: Pick<Journal, "append">,
  context: { profile: string; job: string; runId: string },
  opts: { timeoutMs?: number; tries?: number; retryDelayMs?: number } = {},
): Promise<SendResult> {
  const r = await httpSend(heartbeatUrl(base, event), body.slice(0, 10_000), "text/plain; charset=utf-8", opts);
  await journal.append({
    kind: "heartbeat.ping",
    summary: r.ok
      ? `Heartbeat "${event}" sent for the ${context.job} of ${context.profile}`
      : `Heartbeat "${event}" for the ${context.job} of ${context.profile} could not be sent: ${r.error}`,
    profile: context.profile,
    outcome: r.ok ? "ok" : "failed",
    durationMs: r.durationMs,
    details: {
      event,
      job: context.job,
      runId: context.runId,
      ...(r.status ? { status: r.status } : {}),
      ...(r.error ? { error: r.error } : {}),
    },
  });
  return r;
}
