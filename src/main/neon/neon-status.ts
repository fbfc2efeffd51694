// `lifeboat neon status`: how far back Neon can take the project right now, and whether that is far enough. Two
// things are kept apart: a window setting shorter than required (a warning: raise it, the plan permitting) and a
// project younger than its window (information: the history fills up by itself).
import type { NeonStatus, NeonWindow } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { formatDuration } from "../../shared/format.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { historyWindow } from "./history-window.ts";
import { openNeonProject, type NeonRunOptions, type Project } from "./neon-client.ts";
import { describePlan, planOf, requiredWindow, type NeonPlan } from "./neon-plan.ts";
import { neonTimestamp } from "./recovery-point.ts";

function windowOf(project: Project, plan: NeonPlan, configuredHours: number | undefined, now: Date): NeonWindow {
  const w = historyWindow(project, now);
  const required = requiredWindow(configuredHours, plan);
  const available = Math.max(0, Math.round((now.getTime() - w.earliest.getTime()) / 1000));
  return {
    start: neonTimestamp(w.earliest),
    end: neonTimestamp(now),
    retentionSeconds: w.retentionSeconds,
    requiredSeconds: required.seconds,
    availableSeconds: available,
    young: available < w.retentionSeconds,
    plan: plan.name,
    requiredSource: required.source,
  };
}

/** Just the window (one API call, not journaled): what the dashboard polls. */
export async function neonWindow(
  profile: Profile,
  opts: NeonRunOptions,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
): Promise<NeonWindow> {
  const neon = await openNeonProject(profile, ctx, opts);
  const project = await neon.project();
  return windowOf(project, planOf(project), neon.config.requiredRecoveryWindowHours, opts.now?.() ?? new Date());
}

/**
 * A read: nothing is journaled. The journal keeps actions and their outcomes; a status that the console polls on every
 * refresh would bury them (issue 14: two records per dashboard refresh).
 */
export async function neonStatus(
  profile: Profile,
  opts: NeonRunOptions,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
): Promise<NeonStatus> {
  return status(profile, opts, ctx);
}

const h = (seconds: number) => formatDuration(seconds * 1000);

async function status(
  profile: Profile,
  opts: NeonRunOptions,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
): Promise<NeonStatus> {
  const neon = await openNeonProject(profile, ctx, opts);
  const project = await neon.project();
  const now = opts.now?.() ?? new Date();
  const plan = planOf(project);
  const win = windowOf(project, plan, neon.config.requiredRecoveryWindowHours, now);
  const branches = await neon.branches();
  const main = resolveBranch(branches, neon.config);
  const endpoints = await neon.branchEndpoints(main);
  const rw = endpoints.find((e) => e.type === "read_write");
  const warnings: string[] = [];
  const notes: string[] = [
    `Plan: ${describePlan(plan)}; required window ${h(win.requiredSeconds)} (${win.requiredSource}).`,
  ];
  const windowShort = win.retentionSeconds < win.requiredSeconds;
  if (windowShort) {
    const room = plan.maxRetentionSeconds;
    warnings.push(
      `Neon keeps ${h(win.retentionSeconds)} of history, less than the ${h(win.requiredSeconds)} required (${win.requiredSource}): ` +
        (room === undefined || room > win.retentionSeconds
          ? `raise it in the Neon console (Settings → Instant restore${room ? `; ${plan.name} allows up to ${h(room)}` : "; the plan sets the maximum"}).`
          : `${plan.name} allows no more: lower neon.requiredRecoveryWindowHours, or change plan.`),
    );
  }
  if (win.young)
    notes.push(
      `The project's history begins ${win.start} (it is younger than its ${h(win.retentionSeconds)} window): ${h(win.availableSeconds ?? 0)} of history exist now, and the rest builds up by itself.`,
    );
  if (plan.historyCapBytes)
    notes.push("The Free plan also keeps no more than 1 GB of history: after heavy writes the window can be shorter.");
  if (main.last_reset_at)
    notes.push(
      `Branch ${main.name} was last restored at ${main.last_reset_at}: points before then may hold the data that restore brought back.`,
    );
  if (!rw) warnings.push(`Branch ${main.name} has no read-write compute: the application cannot write to it.`);
  for (const e of endpoints) {
    if (e.disabled) warnings.push(`Compute ${e.id} is disabled: connections to it are refused.`);
    else if (e.current_state === "idle" && e.pending_state === "active")
      warnings.push(`Compute ${e.id} is idle and has not come up since it was asked to start: it may be lost.`);
    else if (e.current_state === "idle")
      notes.push(`Compute ${e.id} is idle (scaled to zero): the next connection wakes it.`);
  }
  return {
    projectId: project.id,
    projectName: project.name,
    apiHost: neon.host,
    regionId: project.region_id,
    pgVersion: project.pg_version,
    historyRetentionSeconds: win.retentionSeconds,
    window: win,
    requiredSeconds: win.requiredSeconds,
    windowShort,
    plan: {
      name: plan.name,
      ...(plan.subscriptionType ? { subscriptionType: plan.subscriptionType } : {}),
      ...(plan.maxRetentionSeconds ? { maxRetentionSeconds: plan.maxRetentionSeconds } : {}),
    },
    defaultBranch: {
      id: main.id,
      name: main.name,
      state: main.current_state,
      createdAt: main.created_at,
      ...(main.logical_size !== undefined ? { logicalSizeBytes: main.logical_size } : {}),
      protected: !!main.protected,
      ...(main.last_reset_at ? { lastResetAt: main.last_reset_at } : {}),
    },
    ...(rw ? { computeState: rw.current_state } : {}),
    computes: endpoints.map((e) => ({
      id: e.id,
      type: e.type,
      state: e.current_state,
      ...(e.pending_state ? { pendingState: e.pending_state } : {}),
      host: e.host,
      ...(e.last_active ? { lastActive: e.last_active } : {}),
      ...(e.suspended_at ? { suspendedAt: e.suspended_at } : {}),
    })),
    branchCount: branches.length,
    checkedAt: neonTimestamp(now),
    warnings,
    notes,
  };
}
