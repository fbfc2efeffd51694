import type { ApiResult } from "../../../shared/api/api-result.ts";
import type { ChannelName, RequestOf, ResultOf } from "../../../shared/api/channels.ts";
import { bridge } from "./bridge.ts";

export type { ChannelName, RequestOf, ResultOf };

export function invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ApiResult<ResultOf<C>>> {
  return bridge().invoke(channel, payload);
}

/** For data-driven callers (the runbook executor) that hold channel names as strings; the engine validates them. */
export function invokeUntyped(channel: string, payload: unknown): Promise<ApiResult<unknown>> {
  return bridge().invoke(channel as ChannelName, payload as never) as Promise<ApiResult<unknown>>;
}

let counter = 0;

/** An operation id the progress events of one long call are tagged with. */
export function newOperationId(prefix: string): string {
  counter += 1;
  return `${prefix.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 32)}-${Date.now().toString(36)}-${counter}`;
}
