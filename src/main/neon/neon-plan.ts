// What the project's Neon plan allows, so defaults follow it instead of assuming a 7-day window everywhere. Figures
// from Neon's docs (content/docs/introduction/restore-window.md: Free 6 h default and maximum, capped at 1 GB of
// history; Launch 1 day default, 7 days maximum; Scale 1 day default, 30 days maximum). The plan is read from the
// project's owner.subscription_type (Neon's own CLI counts free_v2 and free_v3 as Free); a key that cannot see it
// (or a plan not listed) leaves the plan unknown, and then only the project's own history_retention_seconds counts.

const HOUR = 3600;
const DAY = 24 * HOUR;

export type PlanName = "Free" | "Launch" | "Scale" | "Business" | "unknown";

export interface NeonPlan {
  name: PlanName;
  /** owner.subscription_type as Neon reported it, when it did. */
  subscriptionType?: string;
  defaultRetentionSeconds?: number;
  maxRetentionSeconds?: number;
  /** The Free plan also stops keeping history beyond 1 GB of it, whatever the time. */
  historyCapBytes?: number;
}

const PLANS: Record<Exclude<PlanName, "unknown">, Omit<NeonPlan, "name" | "subscriptionType">> = {
  Free: { defaultRetentionSeconds: 6 * HOUR, maxRetentionSeconds: 6 * HOUR, historyCapBytes: 1024 ** 3 },
  Launch: { defaultRetentionSeconds: DAY, maxRetentionSeconds: 7 * DAY },
  Scale: { defaultRetentionSeconds: DAY, maxRetentionSeconds: 30 * DAY },
  // Neon's legacy Business plan; its figures are not in the current docs, Scale's are assumed.
  Business: { defaultRetentionSeconds: DAY, maxRetentionSeconds: 30 * DAY },
};

function nameOf(subscriptionType: string | undefined): PlanName {
  const s = (subscriptionType ?? "").toLowerCase();
  if (/^free/.test(s)) return "Free";
  if (/^launch/.test(s)) return "Launch";
  if (/^scale/.test(s)) return "Scale";
  if (/^business/.test(s)) return "Business";
  return "unknown";
}

export function planOf(project: { owner?: { subscription_type?: string } }): NeonPlan {
  const subscriptionType = project.owner?.subscription_type;
  const name = nameOf(subscriptionType);
  return { name, ...(subscriptionType ? { subscriptionType } : {}), ...(name === "unknown" ? {} : PLANS[name]) };
}

/** "the Free plan (owner.subscription_type free_v3)" or "an unknown plan": which plan was assumed and why. */
export function describePlan(p: NeonPlan): string {
  if (p.name === "unknown")
    return p.subscriptionType
      ? `a plan Lifeboat has no figures for (owner.subscription_type ${p.subscriptionType})`
      : "an unknown plan (Neon did not report owner.subscription_type to this API key)";
  return `the ${p.name} plan (owner.subscription_type ${p.subscriptionType})`;
}

/** The audit's floor and Neon's production recommendation (content/docs/introduction/restore-window.md). */
export const RECOMMENDED_WINDOW_SECONDS = 7 * DAY;

export interface RequiredWindow {
  seconds: number;
  /** Why this figure: the profile's setting, or the default and the plan it was capped by. */
  source: string;
}

/** neon.requiredRecoveryWindowHours when set; else 7 days, or the plan's maximum when the plan allows less. */
export function requiredWindow(configuredHours: number | undefined, plan: NeonPlan): RequiredWindow {
  if (configuredHours !== undefined)
    return { seconds: Math.round(configuredHours * HOUR), source: "neon.requiredRecoveryWindowHours" };
  if (plan.maxRetentionSeconds !== undefined && plan.maxRetentionSeconds < RECOMMENDED_WINDOW_SECONDS)
    return {
      seconds: plan.maxRetentionSeconds,
      source: `the most ${describePlan(plan)} keeps (Neon recommends 7 days for production; this plan cannot)`,
    };
  return {
    seconds: RECOMMENDED_WINDOW_SECONDS,
    source: `default: Neon's recommendation for production${plan.maxRetentionSeconds ? ` (${describePlan(plan)} allows up to ${plan.maxRetentionSeconds / DAY} days)` : ""}`,
  };
}

export interface DrillOffset {
  ms: number;
  source: string;
}

/**
 * neon.drill.offsetHours (or --offset) when given; else a day, as the seed's weekly script does, unless the history
 * that exists is shorter: then half of it, so the test branch sits well inside the window however long the run takes.
 */
export function defaultDrillOffset(
  configuredHours: number | undefined,
  retentionSeconds: number,
  historyStart: Date,
  now: Date,
  plan: NeonPlan,
): DrillOffset {
  if (configuredHours !== undefined)
    return { ms: Math.round(configuredHours * 3_600_000), source: "neon.drill.offsetHours" };
  const day = DAY * 1000;
  const kept = retentionSeconds * 1000;
  const age = Math.max(0, now.getTime() - historyStart.getTime());
  if (day <= kept / 2 && day <= age / 2) return { ms: day, source: "default: 24 hours, as in the weekly test script" };
  if (age < kept) {
    return {
      ms: Math.max(1000, Math.floor(age / 2 / 1000) * 1000),
      source: `half the project's age: its history starts at ${historyStart.toISOString().replace(".000Z", "Z")}, younger than its ${Math.round(retentionSeconds / HOUR)} h window`,
    };
  }
  return {
    ms: Math.max(1000, Math.floor(kept / 2 / 1000) * 1000),
    source: `half the ${Math.round((retentionSeconds / HOUR) * 10) / 10} h history window of ${describePlan(plan)}: 24 hours is beyond it`,
  };
}
