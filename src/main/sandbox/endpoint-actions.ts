// Computes as Neon has them (content/docs/introduction/compute-lifecycle.md): active or idle; an idle compute wakes
// when a client connects; suspending one stops its Postgres, never its data. A lost compute (the db-loss and server-failure incidents)
// cannot start: start_compute fails while Neon retries it (status "error"), then ends failed, and the endpoint stays
// idle with "active" pending; a start asked again after that answers 500 (endpoint-routes.ts).
import { newEndpoint, setEndpointState, type Plan } from "./branch-actions.ts";
import type { FaultRule } from "./faults.ts";
import type { StepSpec } from "./operation-queue.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord, EndpointRecord } from "./sandbox-state.ts";

/** How often Neon is shown retrying the start of a lost compute before the operation fails. */
export const LOST_COMPUTE_FAILURES: FaultRule = { kind: "operation-retried", failures: 2 };

export function lostComputeMessage(e: EndpointRecord): string {
  return `compute ${e.id} failed to start: its host is unreachable (the sandbox's db-loss, server-failure or region-outage incident); restore the branch to get a new compute`;
}

function startStep(p: SandboxProject, branch: BranchRecord, endpoint: EndpointRecord): StepSpec {
  return {
    action: "start_compute",
    branchId: branch.id,
    endpointId: endpoint.id,
    run: async () => {
      if (endpoint.lost) throw new Error(lostComputeMessage(endpoint));
      if (!p.clusters.has(branch.id)) await p.startCompute(branch);
      setEndpointState(endpoint, "active");
    },
  };
}

/** createProjectEndpoint: a read-write compute for a branch that has none (e.g. a preserved branch). */
export async function planCreateEndpoint(
  p: SandboxProject,
  branch: BranchRecord,
): Promise<{ endpoint: EndpointRecord } & Plan> {
  const endpoint = await newEndpoint();
  branch.endpoint = endpoint;
  return {
    endpoint,
    steps: [startStep(p, branch, endpoint)],
    onFailure: async () => {
      if (endpoint.state !== "active") delete branch.endpoint;
    },
  };
}

/** startProjectEndpoint: wakes an idle compute (nothing to do for an active one). */
export function planStartEndpoint(p: SandboxProject, branch: BranchRecord, endpoint: EndpointRecord): Plan {
  endpoint.pendingState = "active";
  return {
    steps: [startStep(p, branch, endpoint)],
    // A lost compute stays asked for: "active" pending, never reached.
    onFailure: async () => {
      if (!endpoint.lost) delete endpoint.pendingState;
    },
  };
}

/** suspendProjectEndpoint: Postgres stops (its WAL archived first); the data stays. */
export function planSuspendEndpoint(p: SandboxProject, branch: BranchRecord, endpoint: EndpointRecord): Plan {
  endpoint.pendingState = "idle";
  return {
    steps: [
      {
        action: "suspend_compute",
        branchId: branch.id,
        endpointId: endpoint.id,
        run: async () => {
          await p.stopCompute(branch);
          setEndpointState(endpoint, "idle");
        },
      },
    ],
    onFailure: async () => {
      delete endpoint.pendingState;
    },
  };
}
