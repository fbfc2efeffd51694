import { z } from "zod";
import {
  LOST_COMPUTE_FAILURES,
  lostComputeMessage,
  planCreateEndpoint,
  planStartEndpoint,
  planSuspendEndpoint,
} from "./endpoint-actions.ts";
import { badRequest, conflict, notFound } from "./neon-error.ts";
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
