import type { EngineContext } from "../engine/engine-context.ts";
import type { NeonRunOptions } from "./neon-client.ts";

/** A Neon call's budgets as a request gives them (seconds), with the terminal's notes wired in. */
export function neonRunOptions(
  req: { maxWaitSeconds?: number | undefined; timeoutSeconds?: number | undefined },
  ctx: Pick<EngineContext, "onNote">,
): NeonRunOptions {
  return {
    ...(req.maxWaitSeconds !== undefined ? { maxRetryWaitMs: req.maxWaitSeconds * 1000 } : {}),
    ...(req.timeoutSeconds !== undefined ? { requestTimeoutMs: req.timeoutSeconds * 1000 } : {}),
    ...(ctx.onNote ? { onNote: ctx.onNote } : {}),
  };
}
