import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import pg from "pg";
import { freePort } from "../postgres/free-port.ts";
import { rememberSecret } from "../secrets/redact.ts";
import { newBranchId, newEndpointId } from "./neon-ids.ts";
import type { StartOptions, StepSpec } from "./operation-queue.ts";
import { absPath, relPath } from "./sandbox-layout.ts";
import type { PointInHistory, SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord, EndpointRecord } from "./sandbox-state.ts";

// The physical side of each mutating call, as Neon's operations: each step is one operation the client can poll.
// A plan also says how to put the records back should one of its operations fail (onFailure).

export interface Plan {
  steps: StepSpec[];
  onFailure: NonNullable<StartOptions["onFailure"]>;
}

export function stamp(): string {
  return new Date().toISOString();
}

export function setBranchState(b: BranchRecord, state: BranchRecord["currentState"]): void {
  const now = stamp();
  b.currentState = state;
  b.stateChangedAt = now;
  b.updatedAt = now;
}

export function setEndpointState(e: EndpointRecord, state: EndpointRecord["state"]): void {
  const now = stamp();
  e.state = state;
  delete e.pendingState;
  e.updatedAt = now;
  if (state === "active") e.startedAt = now;
  if (state === "idle") e.suspendedAt = now;
}

export async function newEndpoint(): Promise<EndpointRecord> {
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

function remove(p: SandboxProject, b: BranchRecord): void {
  const i = p.state.branches.indexOf(b);
  if (i >= 0) p.state.branches.splice(i, 1);
}

export interface CreateBranchPlan {
  parent: BranchRecord;
  name?: string;
  point: PointInHistory;
  withEndpoint: boolean;
  protected: boolean;
}

/**
 * createProjectBranch: a point-in-time recovery of the parent (create_timeline), then its compute (start_compute).
 * A branch made from a protected branch gets a new password for the role, as Neon does
 * (content/docs/guides/protected-branches.md), so a copy of production never opens with production's password.
 */
export async function planCreateBranch(
  p: SandboxProject,
  plan: CreateBranchPlan,
): Promise<{ branch: BranchRecord } & Plan> {
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
  if (plan.parent.protected) {
    branch.rolePassword = `npg_${randomBytes(12).toString("base64url")}`;
    rememberSecret(branch.rolePassword);
  }
  p.state.branches.push(branch);
  const steps: StepSpec[] = [
    {
      action: "create_timeline",
      branchId: id,
      run: async () => {
        const rec = await p.recover(plan.parent, plan.point, branch.endpoint?.port);
        p.clusters.set(id, rec.cluster);
        Object.assign(branch, { dataDir: relPath(p.layout, rec.dataDir), tli: rec.tli, parentLsn: rec.branchLsn });
        if (branch.rolePassword)
          await rec.cluster.query(
            `ALTER ROLE ${pg.escapeIdentifier(p.state.role.name)} PASSWORD ${pg.escapeLiteral(branch.rolePassword)}`,
          );
        if (branch.endpoint) branch.endpoint.port = rec.cluster.port;
        else await p.stopCompute(branch);
        delete branch.pendingState;
        setBranchState(branch, "ready");
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
  const onFailure = async () => {
    // A branch that never got its data is not left behind; its name is free again.
    if (branch.currentState === "ready") return;
    await p.stopCompute(branch, { archive: false }).catch(() => {});
    if (branch.dataDir) await rm(absPath(p.layout, branch.dataDir), { recursive: true, force: true });
    remove(p, branch);
  };
  return { branch, steps, onFailure };
}

/** deleteProjectBranch: the compute stops and the data directory goes. */
export function planDelete(p: SandboxProject, branch: BranchRecord): Plan {
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
      remove(p, branch);
    },
  });
  const onFailure = async () => {
    if (branch.endpoint) delete branch.endpoint.pendingState;
  };
  return { steps, onFailure };
}
