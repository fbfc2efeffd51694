import { rm } from "node:fs/promises";
import { freePort } from "../postgres/free-port.ts";
import { newBranchId, newEndpointId } from "./neon-ids.ts";
import type { StepSpec } from "./operation-queue.ts";
import { absPath, relPath } from "./sandbox-layout.ts";
import type { PointInHistory, SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord, EndpointRecord } from "./sandbox-state.ts";

// The physical side of each mutating call, as Neon's operations: each step is one operation the client can poll.

function stamp(): string {
  return new Date().toISOString();
}

function setBranchState(b: BranchRecord, state: BranchRecord["currentState"]): void {
  const now = stamp();
  b.currentState = state;
  b.stateChangedAt = now;
  b.updatedAt = now;
}

function setEndpointState(e: EndpointRecord, state: EndpointRecord["state"]): void {
  const now = stamp();
  e.state = state;
  delete e.pendingState;
  e.updatedAt = now;
  if (state === "active") e.startedAt = now;
  if (state === "idle") e.suspendedAt = now;
}

async function newEndpoint(): Promise<EndpointRecord> {
  const now = stamp();
  // Reserved now, because the response already carries the connection URI; startCompute moves on if it gets taken.
  return {
    id: newEndpointId(),
    port: await freePort(),
    state: "init",
    pendingState: "active",
    createdAt: now,
    updatedAt: now,
  };
}

export interface CreateBranchPlan {
  parent: BranchRecord;
  name?: string;
  point: PointInHistory;
  withEndpoint: boolean;
  protected: boolean;
}

/** createProjectBranch: a point-in-time recovery of the parent (create_timeline), then its compute (start_compute). */
export async function planCreateBranch(
  p: SandboxProject,
  plan: CreateBranchPlan,
): Promise<{ branch: BranchRecord; steps: StepSpec[] }> {
  const now = stamp();
  const id = newBranchId();
  const branch: BranchRecord = {
    id,
    name: plan.name ?? id,
    parentId: plan.parent.id,
    ...(plan.point.kind === "time" ? { parentTimestamp: plan.point.time.iso } : {}),
    ...(plan.point.kind === "lsn" ? { parentLsn: plan.point.lsn } : {}),
    default: false,
    protected: plan.protected,
    currentState: "init",
    pendingState: "ready",
    stateChangedAt: now,
    createdAt: now,
    updatedAt: now,
    ...(plan.withEndpoint ? { endpoint: await newEndpoint() } : {}),
  };
  p.state.branches.push(branch);
  const steps: StepSpec[] = [
    {
      action: "create_timeline",
      branchId: id,
      run: async () => {
        try {
          const rec = await p.recover(plan.parent, plan.point, branch.endpoint?.port);
          p.clusters.set(id, rec.cluster);
          Object.assign(branch, { dataDir: relPath(p.layout, rec.dataDir), tli: rec.tli, parentLsn: rec.branchLsn });
          if (branch.endpoint) branch.endpoint.port = rec.cluster.port;
          else await p.stopCompute(branch);
          delete branch.pendingState;
          setBranchState(branch, "ready");
        } catch (e) {
          // A branch that never got its data is not left behind; its name is free again.
          p.state.branches.splice(p.state.branches.indexOf(branch), 1);
          throw e;
        }
      },
    },
  ];
  if (branch.endpoint) {
    const endpoint = branch.endpoint;
    steps.push({
      action: "start_compute",
      branchId: id,
      endpointId: endpoint.id,
      run: async () => setEndpointState(endpoint, "active"),
    });
  }
  return { branch, steps };
}

export interface RestorePlan {
  target: BranchRecord;
  source: BranchRecord;
  point: PointInHistory;
  preserveUnderName?: string;
}

/**
 * restoreProjectBranch: the target's compute stops (its WAL archived), a point-in-time recovery of the source becomes
 * the target's data on the same endpoint, and the old data directory lives on as the preserve_under_name branch.
 */
export function planRestore(p: SandboxProject, plan: RestorePlan): { steps: StepSpec[] } {
  const { target } = plan;
  const endpoint = target.endpoint;
  const wasRunning = p.clusters.has(target.id);
  setBranchState(target, "resetting");
  target.pendingState = "ready";
  const steps: StepSpec[] = [];
  if (endpoint && wasRunning) {
    endpoint.pendingState = "idle";
    steps.push({
      action: "suspend_compute",
      branchId: target.id,
      endpointId: endpoint.id,
      run: async () => {
        try {
          await p.stopCompute(target);
        } catch (e) {
          delete target.pendingState;
          delete endpoint.pendingState;
          setBranchState(target, "ready");
          throw e;
        }
        setEndpointState(endpoint, "idle");
      },
    });
  }
  steps.push({
    action: "create_timeline",
    branchId: target.id,
    run: async () => {
      try {
        const rec = await p.recover(plan.source, plan.point, endpoint?.port);
        const old = { dataDir: target.dataDir, tli: target.tli, stopped: target.stopped };
        const now = stamp();
        if (plan.preserveUnderName !== undefined) {
          const preserved: BranchRecord = {
            id: newBranchId(),
            name: plan.preserveUnderName,
            ...(target.parentId ? { parentId: target.parentId } : {}),
            ...(target.parentLsn ? { parentLsn: target.parentLsn } : {}),
            ...(target.parentTimestamp ? { parentTimestamp: target.parentTimestamp } : {}),
            default: false,
            protected: false,
            currentState: "ready",
            stateChangedAt: now,
            createdAt: now,
            updatedAt: now,
            ...(old.dataDir ? { dataDir: old.dataDir } : {}),
            ...(old.tli ? { tli: old.tli } : {}),
            ...(old.stopped ? { stopped: old.stopped } : {}),
          };
          // As in Neon: the branch's children move to the preserved branch, which holds the history they came from.
          for (const child of p.state.branches) if (child.parentId === target.id) child.parentId = preserved.id;
          p.state.branches.push(preserved);
        } else if (old.dataDir) {
          await rm(absPath(p.layout, old.dataDir), { recursive: true, force: true });
        }
        p.clusters.set(target.id, rec.cluster);
        Object.assign(target, { dataDir: relPath(p.layout, rec.dataDir), tli: rec.tli, lastResetAt: now });
        delete target.stopped;
        if (endpoint) {
          endpoint.port = rec.cluster.port;
          delete endpoint.lost;
        } else {
          await p.stopCompute(target);
        }
        delete target.pendingState;
        setBranchState(target, "ready");
      } catch (e) {
        delete target.pendingState;
        setBranchState(target, "ready");
        if (wasRunning && endpoint && !endpoint.lost) {
          await p.startCompute(target).catch(() => {});
          setEndpointState(endpoint, "active");
        }
        throw e;
      }
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
  return { steps };
}

/** deleteProjectBranch: the compute stops and the data directory goes. */
export function planDelete(p: SandboxProject, branch: BranchRecord): StepSpec[] {
  const steps: StepSpec[] = [];
  if (branch.endpoint && p.clusters.has(branch.id)) {
    const endpoint = branch.endpoint;
    endpoint.pendingState = "idle";
    steps.push({
      action: "suspend_compute",
      branchId: branch.id,
      endpointId: endpoint.id,
      run: async () => {
        await p.stopCompute(branch, { archive: false });
        setEndpointState(endpoint, "idle");
      },
    });
  }
  steps.push({
    action: "delete_timeline",
    branchId: branch.id,
    run: async () => {
      await p.stopCompute(branch, { archive: false });
      if (branch.dataDir) await rm(absPath(p.layout, branch.dataDir), { recursive: true, force: true });
      const i = p.state.branches.indexOf(branch);
      if (i >= 0) p.state.branches.splice(i, 1);
    },
  });
  return steps;
}

/** createProjectEndpoint: a read-write compute for a branch that has none (e.g. a preserved branch). */
export async function planCreateEndpoint(
  p: SandboxProject,
  branch: BranchRecord,
): Promise<{ endpoint: EndpointRecord; steps: StepSpec[] }> {
  const endpoint = await newEndpoint();
  branch.endpoint = endpoint;
  const steps: StepSpec[] = [
    {
      action: "start_compute",
      branchId: branch.id,
      endpointId: endpoint.id,
      run: async () => {
        try {
          await p.startCompute(branch);
          setEndpointState(endpoint, "active");
        } catch (e) {
          delete branch.endpoint;
          throw e;
        }
      },
    },
  ];
  return { endpoint, steps };
}
