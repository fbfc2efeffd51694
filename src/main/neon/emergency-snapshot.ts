// `lifeboat neon snapshot`: freeze the current state before anyone touches anything. The default is the seed's own
// emergency command, a branch from the head of the default branch: instant (copy-on-write), available on every plan,
// needs no compute, and shows up in `lifeboat neon branches`. Neon's snapshot API (Beta, plan-dependent) is used on
// request (--method snapshot), or tried first with a fallback to a branch when the project does not offer it (auto).
import type { SnapshotResult } from "../../shared/api/neon-schemas.ts";
import type { Profile } from "../../shared/config.ts";
import { LifeboatError } from "../../shared/errors.ts";
import type { EngineContext } from "../engine/engine-context.ts";
import { resolveBranch } from "./branch-lookup.ts";
import { emergencyBranchName } from "./branch-names.ts";
import { openNeonProject, type NeonProject, type NeonRunOptions, type Branch } from "./neon-client.ts";
import { branchRow } from "./neon-branches.ts";
import { createOrFind } from "./neon-reconcile.ts";
import { assertNameFree, checkBranchName } from "./recover-to.ts";
import { neonTimestamp } from "./recovery-point.ts";

export type SnapshotMethod = "branch" | "snapshot" | "auto";

export interface SnapshotOptions extends NeonRunOptions {
  /** Default emergency-YYYYMMDD-HHMMSS (UTC). */
  name?: string;
  method?: SnapshotMethod;
  /** Branch to freeze (name or id); default: the project's default branch. */
  branch?: string;
}

// Answers meaning "this project or plan has no snapshot API", as opposed to a real failure.
const UNSUPPORTED = new Set([400, 403, 404, 405, 409, 501]);

export async function emergencySnapshot(
  profile: Profile,
  opts: SnapshotOptions,
  ctx: EngineContext,
): Promise<SnapshotResult> {
  const now = opts.now?.() ?? new Date();
  const name = opts.name ?? emergencyBranchName(now);
  checkBranchName(name);
  const method = opts.method ?? "branch";
  return ctx.journal.step(
    {
      kind: "neon.snapshot",
      summary: `Emergency snapshot ${name} (${method}, profile ${profile.name})`,
      profile: profile.name,
      details: { projectId: profile.neon?.projectId, name, method },
    },
    () => snapshot(profile, { ...opts, name, method }, now, ctx),
    (r) => ({
      // The branch it made, so an incident's close finds it among what the recovery left.
      branch: r.branch.name,
      usedMethod: r.method,
      id: r.snapshot?.id ?? r.branch.id,
      source: r.source.name,
      takenAt: r.takenAt,
      ...(r.fallbackReason ? { fallbackReason: r.fallbackReason } : {}),
    }),
  );
}

async function snapshot(
  profile: Profile,
  opts: SnapshotOptions & { name: string; method: SnapshotMethod },
  now: Date,
  ctx: EngineContext,
): Promise<SnapshotResult> {
  const t0 = performance.now();
  const neon = await openNeonProject(profile, ctx, opts);
  const branches = await neon.branches();
  const source = resolveBranch(branches, neon.config, opts.branch);
  const timed = (r: Omit<SnapshotResult, "durationMs">): SnapshotResult => ({
    ...r,
    durationMs: Math.round(performance.now() - t0),
  });
  if (opts.method === "branch") return timed(await viaBranch(neon, branches, source, opts.name, now));
  try {
    return timed(await viaSnapshotApi(neon, source, opts.name, now));
  } catch (e) {
    const status = e instanceof LifeboatError ? (e.details?.status as number | undefined) : undefined;
    if (opts.method === "auto" && status !== undefined && UNSUPPORTED.has(status)) {
      const r = await viaBranch(neon, branches, source, opts.name, now);
      return timed({
        ...r,
        fallbackReason: `the snapshot API answered ${status}: ${String(e instanceof LifeboatError ? e.details?.neonMessage : "")}`,
      });
    }
    throw e;
  }
}

async function viaBranch(
  neon: NeonProject,
  branches: Branch[],
  source: Branch,
  name: string,
  now: Date,
): Promise<Omit<SnapshotResult, "durationMs">> {
  assertNameFree(branches, name, neon.projectId);
  // No endpoint: the branch keeps the data at this instant and costs nothing until someone needs to read it.
  const { created } = await createOrFind(neon, { branch: { name, parent_id: source.id } });
  await neon.waitForOperations(created.operations, `create branch ${name}`);
  return {
    method: "branch",
    branch: branchRow(created.branch, new Map([[source.id, source]])),
    source: { id: source.id, name: source.name },
    takenAt: created.branch.created_at ?? neonTimestamp(now),
  };
}

async function viaSnapshotApi(
  neon: NeonProject,
  source: Branch,
  name: string,
  now: Date,
): Promise<Omit<SnapshotResult, "durationMs">> {
  const r = await neon.createSnapshot(source, name);
  await neon.waitForOperations(r.operations, `snapshot branch ${source.name}`);
  const takenAt = r.snapshot.created_at ?? neonTimestamp(now);
  const snap = { id: r.snapshot.id, name: r.snapshot.name || name };
  return {
    method: "snapshot",
    branch: {
      ...snap,
      parentId: source.id,
      parentName: source.name,
      createdAt: takenAt,
      state: "snapshot",
      protected: false,
      default: false,
      lifeboat: false,
    },
    snapshot: snap,
    source: { id: source.id, name: source.name },
    takenAt,
  };
}
