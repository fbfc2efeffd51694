// After a change's answer was lost, find out what Neon actually did by looking for what the change would have made:
// the branch (by its unique name), the restored branch's new reset time and its backup branch, the deleted branch's
// absence, and the operations Neon started for them. Nothing here repeats a change. When Neon cannot be asked, the
// outcome is reported as unknown, with what to check; never as a failure.
import { LifeboatError } from "../../shared/errors.ts";
import { findBranch } from "./branch-names.ts";
import type { BranchCreateRequest } from "@neondatabase/api-client";
import type { Branch, Endpoint, NeonProject, Operation } from "./neon-client.ts";

/** How often, and how far apart, Lifeboat looks before concluding that a lost change did not happen. */
export interface ReconcileOptions {
  checks?: number;
  spacingMs?: number;
}

const DONE = new Set(["finished", "skipped"]);

async function looking<T>(
  neon: NeonProject,
  lost: LifeboatError,
  what: string,
  o: ReconcileOptions,
  probe: () => Promise<T | undefined>,
): Promise<{ found: T; checks: number } | { found: undefined; checks: number; spanMs: number }> {
  const checks = Math.max(1, o.checks ?? 3);
  const t0 = neon.policy.now();
  for (let i = 1; ; i++) {
    let found: T | undefined;
    try {
      found = await probe();
    } catch (e) {
      if (neon.signal?.aborted) throw e;
      const cause = e instanceof LifeboatError ? e.message : String(e);
      throw new LifeboatError(
        "NEON_OUTCOME_UNKNOWN",
        `${lost.message}, and Neon could not be asked whether ${what}: ${cause}`,
        `Do not repeat it yet: once Neon answers, \`lifeboat neon branches\` and \`lifeboat neon status\` show whether ${what}.`,
        { ...lost.details, reconciled: false },
        { cause: e },
      );
    }
    if (found !== undefined) return { found, checks: i };
    if (i >= checks) return { found: undefined, checks: i, spanMs: neon.policy.now() - t0 };
    await neon.policy.sleep(o.spacingMs ?? 1500, neon.signal);
  }
}

/** Operations Neon started on a branch since `since` that have not finished. */
async function openOperations(neon: NeonProject, branchId: string, since: Date): Promise<Operation[]> {
  return (await neon.operationsSince(since)).filter((op) => op.branch_id === branchId && !DONE.has(op.status));
}

export interface ReconciledCreate {
  branch: Branch;
  endpoints: Endpoint[];
  operations: Operation[];
  evidence: string;
}

/** The answer to "create branch NAME" was lost: did Neon make it? Names are unique, so the name is the proof. */
export async function reconcileCreate(
  neon: NeonProject,
  name: string,
  since: Date,
  lost: LifeboatError,
  o: ReconcileOptions = {},
): Promise<ReconciledCreate | { absentAfter: string }> {
  const r = await looking(neon, lost, `branch ${name} was made`, o, async () =>
    findBranch(await neon.branches(), name),
  );
  if (!r.found) return { absentAfter: `${r.checks} checks over ${Math.round(r.spanMs / 1000)} s` };
  const branch = r.found;
  const [endpoints, operations] = await Promise.all([
    neon.branchEndpoints(branch),
    openOperations(neon, branch.id, since),
  ]);
  return { branch, endpoints, operations, evidence: `branch ${name} (${branch.id}) exists` };
}

export interface ReconciledRestore {
  restored: Branch;
  preserved?: Branch;
  operations: Operation[];
  evidence: string[];
}

/**
 * The answer to "restore TARGET" was lost. A restore shows as the backup branch it was asked to make, a
 * last_reset_at after the request, or operations on the target started since the request.
 */
export async function reconcileRestore(
  neon: NeonProject,
  target: Branch,
  preserveAs: string | undefined,
  since: Date,
  lost: LifeboatError,
  o: ReconcileOptions = {},
): Promise<ReconciledRestore | { absentAfter: string }> {
  // A new reset time is evidence; compared with the value read just before the request, not with this machine's clock.
  const resetBefore = target.last_reset_at;
  const r = await looking(neon, lost, `branch ${target.name} was restored`, o, async () => {
    const branches = await neon.branches();
    const restored = findBranch(branches, target.id);
    const preserved = preserveAs ? findBranch(branches, preserveAs) : undefined;
    const operations = await openOperations(neon, target.id, since);
    const evidence: string[] = [];
    if (preserved) evidence.push(`backup branch ${preserved.name} (${preserved.id}) exists`);
    if (restored?.last_reset_at && restored.last_reset_at !== resetBefore)
      evidence.push(`${target.name} was last reset at ${restored.last_reset_at}`);
    if (operations.length) evidence.push(`Neon is running ${operations.map((x) => `${x.action} ${x.id}`).join(", ")}`);
    if (!evidence.length || !restored) return undefined;
    return { restored, ...(preserved ? { preserved } : {}), operations, evidence };
  });
  if (!r.found) return { absentAfter: `${r.checks} checks over ${Math.round(r.spanMs / 1000)} s` };
  return r.found;
}

/** The answer to "delete BRANCH" was lost: is it gone, going, or still there? */
export async function reconcileDelete(
  neon: NeonProject,
  branch: Branch,
  since: Date,
  lost: LifeboatError,
  o: ReconcileOptions = {},
): Promise<{ gone: true } | { operations: Operation[] } | { absentAfter: string }> {
  const r = await looking(neon, lost, `branch ${branch.name} was deleted`, o, async () => {
    if (!(await neon.branch(branch.id))) return { gone: true as const };
    const operations = await openOperations(neon, branch.id, since);
    return operations.some((x) => x.action === "delete_timeline") ? { operations } : undefined;
  });
  if (!r.found) return { absentAfter: `${r.checks} checks over ${Math.round(r.spanMs / 1000)} s` };
  return r.found;
}

/** Creates a named branch; after a lost answer, looks for it by its (unique) name instead of asking twice. */
export async function createOrFind(
  neon: NeonProject,
  body: BranchCreateRequest & { branch: { name: string } },
  o: ReconcileOptions = {},
): Promise<{ created: { branch: Branch; endpoints: Endpoint[]; operations: Operation[] }; reconciled?: string[] }> {
  const since = new Date(Date.now() - 10_000);
  const name = body.branch.name;
  try {
    return { created: await neon.createBranch(body) };
  } catch (e) {
    if (!(e instanceof LifeboatError) || e.code !== "NEON_ANSWER_LOST") throw e;
    neon.opts.onNote?.(`${e.message}; checking what Neon did…`);
    const rec = await reconcileCreate(neon, name, since, e, o);
    if ("absentAfter" in rec) {
      throw new LifeboatError(
        "NEON_API",
        `${e.message}. Lifeboat checked: Neon did not make branch ${name} (${rec.absentAfter}). Nothing was created`,
        "It is safe to run the same command again.",
        { ...e.details, reconciled: true, happened: false },
        { cause: e },
      );
    }
    neon.opts.onNote?.(`Neon made it after all: ${rec.evidence}`);
    return {
      created: { branch: rec.branch, endpoints: rec.endpoints, operations: rec.operations },
      reconciled: [rec.evidence],
    };
  }
}
