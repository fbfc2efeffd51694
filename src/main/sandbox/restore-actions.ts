import { rm } from "node:fs/promises";
import { newBranchId } from "./neon-ids.ts";
import { setBranchState, setEndpointState, stamp, type Plan } from "./branch-actions.ts";
import type { StepSpec } from "./operation-queue.ts";
import { absPath, relPath } from "./sandbox-layout.ts";
import type { PointInHistory, SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord } from "./sandbox-state.ts";

// restoreProjectBranch as Neon documents it. The backup of the old state (preserve_under_name) exists as soon as the
// request is answered, and the branch's children move to it. A branch with a parent gets the backup as its new parent,
// so "reset from parent" undoes the restore (content/docs/guides/branch-restore.md); a restored root branch and its
// backup are both roots, and the backup of a root restored from another branch (the original root) cannot be deleted
// (content/docs/postgres/backup-restore/branch-restore.md). Parent LSN and time always say where the data came from.

export interface RestorePlan {
  target: BranchRecord;
  source: BranchRecord;
  point: PointInHistory;
  preserveUnderName?: string;
}

export function planRestore(p: SandboxProject, plan: RestorePlan): Plan & { preserved?: BranchRecord } {
  const { target, source } = plan;
  const endpoint = target.endpoint;
  const wasRunning = p.clusters.has(target.id);
  const before = { parentId: target.parentId, parentLsn: target.parentLsn, parentTimestamp: target.parentTimestamp };
  const children = p.state.branches.filter((c) => c.parentId === target.id);
  const now = stamp();
  setBranchState(target, "resetting");
  target.pendingState = "ready";

  let preserved: BranchRecord | undefined;
  if (plan.preserveUnderName !== undefined) {
    preserved = {
      id: newBranchId(),
      name: plan.preserveUnderName,
      ...(target.parentId ? { parentId: target.parentId } : {}),
      ...(target.parentLsn ? { parentLsn: target.parentLsn } : {}),
      ...(target.parentTimestamp ? { parentTimestamp: target.parentTimestamp } : {}),
      default: false,
      protected: false,
      currentState: "init",
      pendingState: "ready",
      stateChangedAt: now,
      createdAt: now,
      updatedAt: now,
      ...(target.rolePassword ? { rolePassword: target.rolePassword } : {}),
      ...(!target.parentId && source.id !== target.id
        ? { undeletable: `it is the original root branch ${target.name}, replaced by a restore from ${source.name}` }
        : {}),
    };
    p.state.branches.push(preserved);
    for (const child of children) child.parentId = preserved.id;
    if (target.parentId) {
      target.parentId = preserved.id;
      // Not final until the operations are done, as the spec says of parent_lsn and parent_timestamp.
      delete target.parentLsn;
      delete target.parentTimestamp;
    }
  }

  const steps: StepSpec[] = [];
  if (endpoint && wasRunning) {
    endpoint.pendingState = "idle";
    steps.push({
      action: "suspend_compute",
      branchId: target.id,
      endpointId: endpoint.id,
      run: async () => {
        await p.stopCompute(target);
        setEndpointState(endpoint, "idle");
      },
    });
  }
  steps.push({
    action: "create_timeline",
    branchId: target.id,
    run: async () => {
      const rec = await p.recover(source, plan.point, endpoint?.port);
      const old = { dataDir: target.dataDir, tli: target.tli, stopped: target.stopped };
      const at = stamp();
      if (preserved) {
        Object.assign(preserved, { ...old, currentState: "ready", stateChangedAt: at, updatedAt: at });
        delete preserved.pendingState;
      } else if (old.dataDir) {
        await rm(absPath(p.layout, old.dataDir), { recursive: true, force: true });
      }
      p.clusters.set(target.id, rec.cluster);
      Object.assign(target, { dataDir: relPath(p.layout, rec.dataDir), tli: rec.tli, lastResetAt: at });
      delete target.stopped;
      if (preserved && target.parentId === preserved.id) {
        // The backup as it was at the restore: its head, which is what "reset from parent" brings back.
        Object.assign(target, { parentTimestamp: at, ...(old.stopped ? { parentLsn: old.stopped.lsn } : {}) });
      } else if (target.parentId && target.parentId === source.id) {
        Object.assign(target, { parentLsn: rec.branchLsn, parentTimestamp: at });
      }
      if (endpoint) {
        endpoint.port = rec.cluster.port;
        delete endpoint.lost;
      } else {
        await p.stopCompute(target);
      }
      delete target.pendingState;
      setBranchState(target, "ready");
    },
  });
  if (endpoint) {
    endpoint.pendingState = "active";
    steps.push({
      action: "start_compute",
      branchId: target.id,
      endpointId: endpoint.id,
      run: async () => setEndpointState(endpoint, "active"),
    });
  }

  const onFailure = async () => {
    if (target.currentState === "ready") return;
    // The data never moved: the backup goes, the children and the parent are as they were, the compute runs again.
    if (preserved && !preserved.dataDir) {
      const i = p.state.branches.indexOf(preserved);
      if (i >= 0) p.state.branches.splice(i, 1);
      for (const child of children) child.parentId = target.id;
      Object.assign(target, before);
      for (const k of ["parentId", "parentLsn", "parentTimestamp"] as const)
        if (before[k] === undefined) delete target[k];
    }
    delete target.pendingState;
    setBranchState(target, "ready");
    if (endpoint) delete endpoint.pendingState;
    if (wasRunning && endpoint && !endpoint.lost && !p.clusters.has(target.id)) {
      await p.startCompute(target).catch(() => {});
      setEndpointState(endpoint, "active");
    }
  };
  return { steps, onFailure, ...(preserved ? { preserved } : {}) };
}
