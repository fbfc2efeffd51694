// One scheduled run of one job, start to end: the lock, the "running" state in the store (so no other machine starts
// it too), the heartbeat, the tries with backoff inside the run's window, the alert when the last try failed (or the
// all-clear when a failing job succeeds again), the journal records the run made copied into the store, and the
// outcome written beside the backups. Nothing here throws for a failed job: the failure is the outcome.
import type { Profile } from "../../shared/config.ts";
import { exitCodeFor, isLifeboatError, LifeboatError, type ErrorInfo } from "../../shared/errors.ts";
import { formatDuration } from "../../shared/format.ts";
import { JOB_LABELS } from "../../shared/schedule/schedule-config.ts";
import { RUN_FORMAT, type RunAttempt, type RunOutcome } from "../../shared/schedule/run-outcome.ts";
import { toErrorInfo } from "../engine/error-info.ts";
import { pingHeartbeat } from "../notify/heartbeat.ts";
import { sendWebhook, type Notification } from "../notify/webhook.ts";
import { copyJournalRange } from "../store-journal/copy-journal-range.ts";
import { tryJobLock } from "./job-lock.ts";
import type { JobPlan } from "./job-plan.ts";
import { writeLocalOutcome, writeStoreOutcome } from "./job-state.ts";
import { thisMachine, newRunId } from "./machine.ts";
import { backoffMs, isRetryable, windowMs } from "./retry-policy.ts";
import { runJob } from "./run-job.ts";
import type { RunnerDeps } from "./runner-deps.ts";
import { trackedJournal } from "../journal/tracked-journal.ts";

const LEASE_SLACK_MS = 12 * 3_600_000;

export type ScheduledRun = { ran: true; outcome: RunOutcome } | { ran: false; refused: ErrorInfo };

const summaryOf = (o: RunOutcome): string =>
  o.status === "ok"
    ? `Scheduled ${o.job} of ${o.profile} succeeded${o.attempts.length > 1 ? ` on try ${o.attempts.length}` : ""}`
    : `Scheduled ${o.job} of ${o.profile} FAILED after ${o.attempts.length} ${o.attempts.length === 1 ? "try" : "tries"}: ${o.error?.message ?? "?"}`;

async function storeBytes(deps: RunnerDeps, profile: Profile): Promise<number | undefined> {
  try {
    const store = await deps.store(profile);
    return (await store.list(`${profile.name}/`)).reduce((a, o) => a + o.bytes, 0);
  } catch {
    return undefined;
  }
}

/** Tries the job until it succeeds, fails in a way no retry can heal, runs out of tries, or the window closes. */
async function attempt(
  deps: RunnerDeps,
  profile: Profile,
  plan: JobPlan,
  journal: ReturnType<typeof trackedJournal>,
  startedAt: Date,
): Promise<{ attempts: RunAttempt[]; result?: RunOutcome["result"]; error?: ErrorInfo; cause?: unknown }> {
  const policy = profile.schedule!.retry;
  const closes = startedAt.getTime() + windowMs(policy, plan.cadenceMs);
  const attempts: RunAttempt[] = [];
  for (let n = 1; ; n++) {
    const t = deps.now();
    try {
      const result = await (deps.runJob ?? runJob)(profile, plan.job, { ...deps.engine, journal });
      attempts.push({ startedAt: t.toISOString(), finishedAt: deps.now().toISOString(), ok: true });
      return { attempts, result };
    } catch (e) {
      const error = toErrorInfo(e);
      attempts.push({ startedAt: t.toISOString(), finishedAt: deps.now().toISOString(), ok: false, error });
      const wait = backoffMs(policy, n);
      const why = !isRetryable(e)
        ? "it cannot heal by waiting"
        : n >= policy.attempts
          ? `all ${policy.attempts} tries are used`
          : deps.now().getTime() + wait > closes
            ? `the run's window closes at ${new Date(closes).toISOString()}`
            : deps.engine.signal?.aborted
              ? "the run was stopped"
              : undefined;
      if (why) return { attempts, error, cause: e };
      await journal.append({
        kind: "schedule.retry",
        summary: `${plan.job} of ${profile.name} failed on try ${n} (${error.message}); trying again in ${formatDuration(wait)}`,
        profile: profile.name,
        outcome: "info",
        details: { job: plan.job, attempt: n, waitMs: wait, error: { code: error.code, message: error.message } },
      });
      try {
        await deps.sleep(wait, deps.engine.signal);
      } catch (stop) {
        return { attempts, error: toErrorInfo(stop), cause: stop };
      }
    }
  }
}

function alertFor(o: RunOutcome, previous: RunOutcome | undefined): Notification | undefined {
  const base = { profile: o.profile, host: o.machine.host, at: o.finishedAt!, job: o.job, runId: o.runId };
  if (o.status === "failed")
    return {
      ...base,
      id: `${o.profile}:job-failed:${o.job}`,
      severity: o.job === "backup" ? "CRITICAL" : "HIGH",
      title: `Scheduled ${JOB_LABELS[o.job]} of ${o.profile} failed`,
      message: `${o.error?.message ?? "it failed"} (${o.attempts.length} ${o.attempts.length === 1 ? "try" : "tries"}, on ${o.machine.host}).`,
      ...(o.error?.hint ? { hint: o.error.hint } : {}),
    };
  if (previous?.status === "failed")
    return {
      ...base,
      id: `${o.profile}:job-failed:${o.job}`,
      severity: "RESOLVED",
      title: `Scheduled ${JOB_LABELS[o.job]} of ${o.profile} succeeded again`,
      message: `The last run failed (${previous.error?.message ?? "?"}); this one succeeded on ${o.machine.host}.`,
    };
  return undefined;
}

export async function runScheduledJob(
  deps: RunnerDeps,
  profile: Profile,
  plan: JobPlan,
  trigger: RunOutcome["trigger"],
  previous: RunOutcome | undefined,
): Promise<ScheduledRun> {
  const startedAt = deps.now();
  const machine = thisMachine(deps.runner, deps.engine.env);
  const runId = newRunId(startedAt, machine.host);
  const leaseUntil = new Date(
    startedAt.getTime() + windowMs(profile.schedule!.retry, plan.cadenceMs) + LEASE_SLACK_MS,
  ).toISOString();
  const lock = await tryJobLock(
    deps.stateDir,
    profile.name,
    plan.job,
    { runId, startedAt: startedAt.toISOString(), leaseUntil },
    startedAt,
  );
  if (!lock.acquired) {
    const h = lock.holder;
    const refused = new LifeboatError(
      "JOB_RUNNING",
      `the ${plan.job} of ${profile.name} is already running${h ? ` (run ${h.runId}, pid ${h.pid} on ${h.host}, since ${h.startedAt})` : ""}: a second run was not started`,
      `Wait for it to end. If no Lifeboat process is running it, the lock (${lock.path}) is taken over by the next run once its lease ends${h ? ` (${h.leaseUntil})` : ""}.`,
      { profile: profile.name, job: plan.job, ...(h ? { holder: h } : {}) },
    );
    await deps.journal.append({
      kind: "schedule.refused",
      summary: refused.message,
      profile: profile.name,
      outcome: "refused",
      details: { job: plan.job, ...(h ? { holder: h } : {}) },
    });
    return { ran: false, refused: refused.toInfo() };
  }
  const journal = trackedJournal(deps.journal);
  try {
    if (lock.tookOver)
      await journal.append({
        kind: "schedule.stale-lock",
        summary: `Took over the ${plan.job} lock of ${profile.name} left by run ${lock.tookOver.runId}: ${lock.tookOver.why}`,
        profile: profile.name,
        outcome: "info",
        details: { job: plan.job, holder: lock.tookOver },
      });
    const outcome: RunOutcome = {
      format: RUN_FORMAT,
      runId,
      profile: profile.name,
      job: plan.job,
      machine,
      scheduledFor: plan.scheduledFor,
      missed: plan.missed,
      trigger,
      startedAt: startedAt.toISOString(),
      status: "running",
      leaseUntil,
      attempts: [],
    };
    const started = await journal.append({
      kind: "schedule.run",
      summary: `Scheduled ${plan.job} of ${profile.name} started (${plan.reason}) on ${machine.host}`,
      profile: profile.name,
      outcome: "started",
      details: {
        job: plan.job,
        runId,
        scheduledFor: plan.scheduledFor,
        missed: plan.missed,
        trigger,
        runner: deps.runner,
      },
    });
    const store = await deps.store(profile).catch(() => undefined);
    // Best effort: when the store is down, the job fails on it in a moment and that is what gets reported.
    await (store ? writeStoreOutcome(store, outcome) : Promise.resolve()).catch(() => undefined);
    await writeLocalOutcome(deps.stateDir, outcome).catch(() => undefined);
    const beat = profile.schedule![plan.job]?.heartbeat;
    const heartbeat = beat ? await reachable(deps, journal, beat, "heartbeat", profile.name, plan.job) : undefined;
    const ctx = { profile: profile.name, job: plan.job, runId };
    if (heartbeat) await pingHeartbeat(heartbeat, "start", summaryOf(outcome), journal, ctx, deps.http);

    const tried = await attempt(deps, profile, plan, journal, startedAt);
    const finishedAt = deps.now();
    outcome.attempts = tried.attempts;
    outcome.finishedAt = finishedAt.toISOString();
    outcome.status = tried.error ? "failed" : "ok";
    outcome.exitCode = tried.error ? exitCodeFor(tried.error.code) : 0;
    if (tried.result) outcome.result = tried.result;
    if (tried.error) outcome.error = tried.error;
    if (finishedAt.getTime() > Date.parse(plan.next)) outcome.overran = true;
    const bytes = await storeBytes(deps, profile);
    if (bytes !== undefined) outcome.storeBytes = bytes;

    const alert = alertFor(outcome, previous);
    const webhook =
      alert && profile.monitoring.webhook
        ? await reachable(deps, journal, profile.monitoring.webhook, "webhook", profile.name, plan.job)
        : undefined;
    if (alert && webhook) await sendWebhook(webhook, alert, journal, deps.http);
    if (heartbeat) await pingHeartbeat(heartbeat, outcome.exitCode, summaryOf(outcome), journal, ctx, deps.http);
    await journal.append({
      kind: "schedule.run",
      summary: summaryOf(outcome),
      profile: profile.name,
      outcome: outcome.status === "ok" ? "ok" : "failed",
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      details: {
        job: plan.job,
        runId,
        startSeq: started.seq,
        attempts: outcome.attempts.length,
        ...(outcome.result ? { result: outcome.result } : {}),
        ...(outcome.error ? { error: { code: outcome.error.code, message: outcome.error.message } } : {}),
        ...(outcome.overran ? { overran: true } : {}),
        ...(outcome.storeBytes !== undefined ? { storeBytes: outcome.storeBytes } : {}),
      },
    });
    await finish(deps, profile, outcome, journal.firstSeq!, journal.lastSeq!);
    if (tried.cause && !isLifeboatError(tried.cause) && deps.engine.env?.LIFEBOAT_DEBUG) console.error(tried.cause);
    return { ran: true, outcome };
  } finally {
    await lock.release();
  }
}

/** The URL behind a heartbeat or webhook reference; one that cannot be resolved is journaled, and the run goes on. */
async function reachable(
  deps: RunnerDeps,
  journal: Pick<RunnerDeps["journal"], "append">,
  ref: string,
  what: "heartbeat" | "webhook",
  profile: string,
  job: string,
): Promise<string | undefined> {
  try {
    return await deps.engine.resolveSecret(ref);
  } catch (e) {
    const error = toErrorInfo(e);
    await journal.append({
      kind: what === "heartbeat" ? "heartbeat.ping" : "notify.webhook",
      summary: `The ${what} URL of the ${job} of ${profile} (${ref}) is not available, so nothing was sent: ${error.message}`,
      profile,
      outcome: "failed",
      details: { job, ref, error: { code: error.code, message: error.message } },
    });
    return undefined;
  }
}

/** Copies the run's journal records into the store and writes its outcome there and locally. */
async function finish(
  deps: RunnerDeps,
  profile: Profile,
  outcome: RunOutcome,
  firstSeq: number,
  lastSeq: number,
): Promise<void> {
  try {
    const store = await deps.store(profile);
    outcome.journal = await copyJournalRange(store, profile.name, deps.journal, firstSeq, lastSeq);
    await writeStoreOutcome(store, outcome);
  } catch (e) {
    const error = toErrorInfo(e);
    await deps.journal
      .append({
        kind: "schedule.store-state",
        summary: `The outcome of run ${outcome.runId} could not be written to the store: ${error.message}`,
        profile: profile.name,
        outcome: "failed",
        details: { runId: outcome.runId, job: outcome.job, error: { code: error.code, message: error.message } },
      })
      .catch(() => undefined);
  }
  await writeLocalOutcome(deps.stateDir, outcome).catch(() => undefined);
}
