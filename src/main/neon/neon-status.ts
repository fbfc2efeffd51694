// `lifeboat neon status`: how far back Neon can take the project right now, and whether that is far enough.
import type { NeonStatus, NeonWindow } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { historyWindow } from "./history-window.ts";
import { openNeonProject, type NeonRunOptions } from "./neon-client.ts";
import { neonTimestamp } from "./recovery-point.ts";
import { formatDurationShort } from "./relative-time.ts";

function windowOf(project: Parameters<typeof historyWindow>[0], requiredHours: number, now: Date): NeonWindow {
  const w = historyWindow(project, now);
  return {
    start: neonTimestamp(w.earliest),
    end: neonTimestamp(now),
    retentionSeconds: w.retentionSeconds,
    requiredSeconds: Math.round(requiredHours * 3600),
  };
}

/** Just the window (one API call, not journaled): what the dashboard polls. */
export async function neonWindow(
  profile: Profile,
  opts: NeonRunOptions,
  ctx: Pick<EngineContext, "resolveSecret" | "signal">,
): Promise<NeonWindow> {
  const neon = await openNeonProject(profile, ctx, opts);
  return windowOf(await neon.project(), neon.config.requiredRecoveryWindowHours, opts.now?.() ?? new Date());
}

export async function neonStatus(profile: Profile, opts: NeonRunOptions, ctx: EngineContext): Promise<NeonStatus> {
  return ctx.journal.step(
    {
      kind: "neon.status",
      summary: `Neon status of project ${profile.neon?.projectId ?? "?"} (profile ${profile.name})`,
      profile: profile.name,
      details: { projectId: profile.neon?.projectId },
    },
    () => status(profile, opts, ctx),
    (s) => ({
      historyRetentionSeconds: s.historyRetentionSeconds,
      earliestRestorable: s.window.start,
      windowShort: s.windowShort,
      pgVersion: s.pgVersion,
      defaultBranch: s.defaultBranch.name,
      computes: s.computes.map((c) => `${c.id} ${c.state}`),
      warnings: s.warnings,
    }),
  );
}

async function status(profile: Profile, opts: NeonRunOptions, ctx: EngineContext): Promise<NeonStatus> {
  const neon = await openNeonProject(profile, ctx, opts);
  const project = await neon.project();
  const now = opts.now?.() ?? new Date();
  const window = historyWindow(project, now);
  const win = windowOf(project, neon.config.requiredRecoveryWindowHours, now);
  const branches = await neon.branches();
  const main = resolveBranch(branches, neon.config);
  const endpoints = await neon.branchEndpoints(main);
  const rw = endpoints.find((e) => e.type === "read_write");
  const required = neon.config.requiredRecoveryWindowHours;
  const warnings: string[] = [];
  const windowShort = window.retentionSeconds < win.requiredSeconds;
  if (windowShort) {
    warnings.push(
      `Neon keeps ${formatDurationShort(window.retentionSeconds * 1000)} of history, less than the ${formatDurationShort(required * 3_600_000)} this profile requires ` +
        `(neon.requiredRecoveryWindowHours): raise it in the Neon console (Settings → Instant restore / history retention; the plan sets the maximum).`,
    );
  }
  if (window.earliest.getTime() > now.getTime() - window.retentionSeconds * 1000) {
    warnings.push(`The project was created ${neonTimestamp(window.earliest)}, so history only reaches back to then.`);
  }
  if (!endpoints.some((e) => e.type === "read_write"))
    warnings.push(`Branch ${main.name} has no read-write compute: the application cannot write to it.`);
  for (const e of endpoints)
    if (e.disabled) warnings.push(`Compute ${e.id} is disabled: connections to it are refused.`);
  return {
    projectId: project.id,
    projectName: project.name,
    apiHost: neon.host,
    regionId: project.region_id,
    pgVersion: project.pg_version,
    historyRetentionSeconds: window.retentionSeconds,
    window: win,
    requiredSeconds: win.requiredSeconds,
    windowShort,
    defaultBranch: {
      id: main.id,
      name: main.name,
      state: main.current_state,
      createdAt: main.created_at,
      ...(main.logical_size !== undefined ? { logicalSizeBytes: main.logical_size } : {}),
      protected: !!main.protected,
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
  };
}
