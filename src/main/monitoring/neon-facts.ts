// Neon's own first line of defence, as `check` judges it: is production a protected branch (no accidental delete or
// reset), and does Neon take scheduled snapshots of it. The snapshot-schedule endpoint is in beta: where Neon (or the
// sandbox) does not answer it, the schedule is reported as unknown (null), never as missing.
import type { Profile } from "../../shared/config.ts";
import { isLifeboatError } from "../../shared/errors.ts";
import type { ProfileFacts } from "../../shared/monitoring/monitoring-schemas.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveBranch } from "../neon/branch-lookup.ts";
import { historyWindow } from "../neon/history-window.ts";
import { openNeonProject } from "../neon/neon-client.ts";
import { planOf, requiredWindow } from "../neon/neon-plan.ts";

export type NeonFacts = NonNullable<ProfileFacts["neon"]>;

export async function neonFacts(
  profile: Profile,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
  now: Date,
): Promise<NeonFacts> {
  const neon = await openNeonProject(profile, ctx, { maxRetryWaitMs: 5000 });
  const [project, branches] = await Promise.all([neon.project(), neon.branches()]);
  const main = resolveBranch(branches, neon.config);
  let snapshotSchedule: string[] | null;
  try {
    snapshotSchedule = (await neon.snapshotSchedule(main)).map(
      (s) => `${s.frequency}${s.hour !== undefined ? ` at ${String(s.hour).padStart(2, "0")}:00` : ""}`,
    );
  } catch (e) {
    if (isLifeboatError(e) && (e.code === "NEON_NOT_FOUND" || e.code === "NEON_API")) snapshotSchedule = null;
    else throw e;
  }
  return {
    reachable: true,
    branch: main.name,
    protected: !!main.protected,
    snapshotSchedule,
    retentionSeconds: historyWindow(project, now).retentionSeconds,
    requiredSeconds: requiredWindow(neon.config.requiredRecoveryWindowHours, planOf(project)).seconds,
  };
}
