// The Neon plan a sandbox plays, with the limits Neon documents for it, so practice meets the same walls as
// production: the history window's maximum (content/docs/introduction/restore-window.md), root branches
// (content/docs/manage/branches.md: Free 3, Launch 5, Scale 25) and protected branches (paid plans only;
// content/docs/guides/protected-branches.md: 2 on Launch, 5 on Scale).
import { LifeboatError } from "../../shared/errors.ts";
import type { SandboxPlan } from "./sandbox-state.ts";

const HOUR = 3600;
const DAY = 24 * HOUR;

export interface PlanLimits {
  /** owner.subscription_type as Neon reports it. */
  subscriptionType: string;
  label: string;
  defaultRetentionSeconds: number;
  maxRetentionSeconds: number;
  rootBranches: number;
  protectedBranches: number;
  /** The Free plan keeps no more than 1 GB of history, whatever the time. */
  historyCapBytes?: number;
  branchesLimit: number;
}

export const PLAN_LIMITS: Record<SandboxPlan, PlanLimits> = {
  free: {
    subscriptionType: "free_v3",
    label: "Free",
    defaultRetentionSeconds: 6 * HOUR,
    maxRetentionSeconds: 6 * HOUR,
    rootBranches: 3,
    protectedBranches: 0,
    historyCapBytes: 1024 ** 3,
    branchesLimit: 10,
  },
  launch: {
    subscriptionType: "launch_v3",
    label: "Launch",
    defaultRetentionSeconds: DAY,
    maxRetentionSeconds: 7 * DAY,
    rootBranches: 5,
    protectedBranches: 2,
    branchesLimit: 5000,
  },
  scale: {
    subscriptionType: "scale_v3",
    label: "Scale",
    defaultRetentionSeconds: DAY,
    maxRetentionSeconds: 30 * DAY,
    rootBranches: 25,
    protectedBranches: 5,
    branchesLimit: 5000,
  },
};

export const PLANS = Object.keys(PLAN_LIMITS) as SandboxPlan[];

/**
 * The sandbox's history window: the one asked for, else the plan's maximum for a paid plan (Neon recommends 7 days
 * for production, so a practice project starts there), else Free's 6 hours. More than the plan allows is refused.
 */
export function sandboxRetention(plan: SandboxPlan, asked?: number): number {
  const l = PLAN_LIMITS[plan];
  const seconds = asked ?? Math.min(l.maxRetentionSeconds, 7 * DAY);
  if (seconds > l.maxRetentionSeconds)
    throw new LifeboatError(
      "USAGE",
      `the ${l.label} plan keeps at most ${l.maxRetentionSeconds / HOUR} hours of history; ${Math.round(seconds / HOUR)} were asked for`,
      `Use --retention-hours ${l.maxRetentionSeconds / HOUR} or less, or another --plan.`,
    );
  return seconds;
}

export function planOfSandbox(plan: SandboxPlan | undefined): PlanLimits {
  return PLAN_LIMITS[plan ?? "launch"];
}
