import { z } from "zod";
import {
  LOST_COMPUTE_FAILURES,
  lostComputeMessage,
  planCreateEndpoint,
  planStartEndpoint,
  planSuspendEndpoint,
} from "./endpoint-actions.ts";
import { badRequest, conflict, NeonApiError, notFound } from "./neon-error.ts";
import { endpointView } from "./neon-views.ts";
import { assertReady, mutate, parseBody, startPlan, type RouteContext, type RouteResult } from "./route-helpers.ts";
import type { SandboxProject } from "./sandbox-project.ts";
import type { BranchRecord } from "./sandbox-state.ts";

const CreateEndpointBody = z
  .object({
    endpoint: z.object({ branch_id: z.string().min(1), type: z.enum(["read_write", "read_only"]) }).passthrough(),
  })
  .passthrough();

export async function createEndpoint({ project: p, body, operationFault }: RouteContext): Promise<RouteResult> {
  const req = parseBody(CreateEndpointBody, body);
  const branch = p.branch(req.endpoint.branch_id);
  if (!branch) throw notFound(`branch ${req.endpoint.branch_id} not found`);
  if (req.endpoint.type !== "read_write") throw badRequest("the Lifeboat sandbox supports read_write computes only");
  // Neon answers 409 here (its CLI's telemetry counts "read-write endpoint already exists" among its 409s).
  if (branch.endpoint)
    throw conflict(
      `read-write endpoint already exists on branch ${branch.id} (${branch.endpoint.id})`,
      "ENDPOINT_ALREADY_EXISTS",
    );
  return mutate(p, async (release) => {
    assertReady(branch, "the");
    const planned = await planCreateEndpoint(p, branch);
    const { endpoint } = planned;
    const operations = await startPlan(p, release, planned, operationFault);
    return {
      status: 201,
      body: { endpoint: endpointView(p, branch, endpoint), operations },
    };
  });
}

export function endpointOf(
  p: SandboxProject,
  id: string,
): { branch: BranchRecord; endpoint: NonNullable<BranchRecord["endpoint"]> } {
  const branch = p.state.branches.find((x) => x.endpoint?.id === id);
  if (!branch?.endpoint) throw notFound(`endpoint ${id} not found`);
  return { branch, endpoint: branch.endpoint };
}

export async function startEndpoint({ project: p, params, operationFault }: RouteContext): Promise<RouteResult> {
  const { branch, endpoint } = endpointOf(p, params.endpoint_id as string);
  // Once a lost compute's start has failed, asking again fails at once with a server error: the control plane knows
  // the compute cannot come up, and no new operation is started (the pending state stays "active").
  if (endpoint.lost && lastStartFailed(p, endpoint.id))
    throw new NeonApiError(500, `${lostComputeMessage(endpoint)}; its last start_compute failed`);
  return mutate(p, async (release) => {
    const fault =
      operationFault ??
      (endpoint.lost ? { ...LOST_COMPUTE_FAILURES, message: lostComputeMessage(endpoint), hits: 1 } : undefined);
    const operations = await startPlan(p, release, planStartEndpoint(p, branch, endpoint), fault);
    return {
      status: 200,
      body: { endpoint: endpointView(p, branch, endpoint), operations },
    };
  });
}

/** Whether the newest start_compute of this endpoint ended failed. */
function lastStartFailed(p: SandboxProject, endpointId: string): boolean {
  const starts = p.state.operations.filter((o) => o.action === "start_compute" && o.endpoint_id === endpointId);
  const last = starts.reduce<(typeof starts)[number] | undefined>(
    (a, o) => (!a || o.created_at >= a.created_at ? o : a),
    undefined,
  );
  return last?.status === "failed";
}

export async function suspendEndpoint({ project: p, params, operationFault }: RouteContext): Promise<RouteResult> {
  const { branch, endpoint } = endpointOf(p, params.endpoint_id as string);
  return mutate(p, async (release) => {
    const operations = await startPlan(p, release, planSuspendEndpoint(p, branch, endpoint), operationFault);
    return {
      status: 200,
      body: { endpoint: endpointView(p, branch, endpoint), operations },
    };
  });
}
