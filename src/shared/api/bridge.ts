import { z } from "zod";
import { Progress } from "../progress.ts";
import type { ApiResult } from "./api-result.ts";
import type { ChannelName, RequestOf, ResultOf } from "./channels.ts";

/** A progress event of a long operation, tagged with the operationId the renderer passed in its request. */
export const ProgressEvent = z.object({ operationId: z.string(), channel: z.string(), progress: Progress });
export type ProgressEvent = z.infer<typeof ProgressEvent>;

/**
 * The one object the renderer talks to, the same in both shells: Electron's preload exposes it as `window.lifeboat`;
 * in browser mode `createHttpBridge` (src/renderer/src/api/http-bridge.ts) builds it. It never throws for an engine failure: it resolves
 * `{ok:false, error}`.
 */
export interface LifeboatBridge {
  invoke<C extends ChannelName>(channel: C, payload: RequestOf<C>): Promise<ApiResult<ResultOf<C>>>;
  /** Every progress event of every long operation; returns the unsubscribe function. */
  onProgress(listener: (event: ProgressEvent) => void): () => void;
}

export const BRIDGE_GLOBAL = "lifeboat";
/** The single IPC channel name prefix in Electron: each API channel is sent as `lifeboat:<channel>`. */
export const IPC_PREFIX = "lifeboat:";
export const IPC_PROGRESS = "lifeboat:progress";

/** Browser mode: the header carrying the session token, and the endpoints. */
export const TOKEN_HEADER = "x-lifeboat-token";
/**
 * The one-time session link's code travels in this header to SESSION_PATH, once, and is exchanged for the session
 * token: a link that leaked (shell history, a screen share) after it was opened opens nothing.
 */
export const LINK_HEADER = "x-lifeboat-link";
export const SESSION_PATH = "/api/session";
export const INVOKE_PATH = "/api/invoke";
export const EVENTS_PATH = "/api/events";
